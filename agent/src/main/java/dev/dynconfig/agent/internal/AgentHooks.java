package dev.dynconfig.agent.internal;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.bootstrap.Dispatcher;

/**
 * The points of the agent's start where a harness may step in: dynconfig's forked-JVM tests use
 * them (through a test-only agent jar) to prove that whatever goes wrong there never reaches the
 * application. A harness names its implementation (public, with a public no-argument constructor,
 * on the system class path) in the system property {@value #PROPERTY}; without it, which is the
 * production case, the agent asks one system property once and installs its own dispatcher.
 */
public interface AgentHooks {
  /** The system property naming the implementation class. */
  String PROPERTY = "dynconfig.agent.hooks";

  /** First thing in the agent's start, on the thread running {@code premain}/{@code agentmain}. */
  void installing();

  /** On the engine's start thread at JVM start, before the engine is created. */
  void engineStarting();

  /** The engine has started; the agent subscribes its own listeners after this returns. */
  void engineStarted(DynamicConfig engine);

  /**
   * The dispatcher to install instead of the agent's own (typically wrapping it). With hooks, the
   * bridge never answers a call alone, so the returned dispatcher sees every call.
   */
  Dispatcher dispatcher(Dispatcher agents);

  /**
   * The hooks the system property names, or null when it is not set.
   *
   * @throws ReflectiveOperationException when the named class cannot be loaded or created
   */
  static AgentHooks fromSystemProperty() throws ReflectiveOperationException {
    String name = System.getProperty(PROPERTY);
    if (name == null || name.isBlank()) {
      return null;
    }
    return (AgentHooks)
        Class.forName(name.trim(), true, ClassLoader.getSystemClassLoader())
            .getDeclaredConstructor()
            .newInstance();
  }
}
