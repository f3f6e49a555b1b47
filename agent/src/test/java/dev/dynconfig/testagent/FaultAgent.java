package dev.dynconfig.testagent;

import java.lang.instrument.Instrumentation;

/**
 * The test agent ({@code agent/target/fault-agent.jar}, built for the forked-JVM tests and never
 * shipped): {@code -javaagent:fault-agent.jar=<fault>} listed <em>before</em> dynconfig's agent
 * names {@code FaultInjection} as the agent's hooks, so dynconfig's start picks it up. See {@link
 * Fault} for the faults.
 */
public final class FaultAgent {
  /** dynconfig's {@code AgentHooks.PROPERTY}. */
  static final String HOOKS_PROPERTY = "dynconfig.agent.hooks";

  private static volatile String spec;

  private FaultAgent() {}

  public static void premain(String args, Instrumentation inst) {
    spec = args;
    System.setProperty(HOOKS_PROPERTY, "dev.dynconfig.testagent.FaultInjection");
  }

  /** The fault given to {@link #premain}, or null. */
  public static Fault fault() {
    return Fault.parse(spec);
  }
}
