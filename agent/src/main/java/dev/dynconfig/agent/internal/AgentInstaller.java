package dev.dynconfig.agent.internal;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.agent.internal.log.AgentLogger;
import dev.dynconfig.bootstrap.Bridge;
import dev.dynconfig.jmx.GuardedMethods;
import java.lang.instrument.Instrumentation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the engine and installs the transformer. Called reflectively by {@code AgentMain} after
 * the bridge is on the bootstrap class path. Never throws: on any failure the application runs with
 * its original method bodies (rewritten methods run them whenever the bridge has no dispatcher,
 * which is installed only once the engine is in place).
 */
public final class AgentInstaller {
  private static final Logger log = LoggerFactory.getLogger(AgentInstaller.class);

  private AgentInstaller() {}

  /** Entry point from {@code AgentMain}; {@code late} is true for {@code agentmain}. */
  public static void install(String agentArgs, Instrumentation inst, boolean late) {
    try {
      AgentOptions options = AgentOptions.resolve(agentArgs);
      AgentLogger.setLevel(options.logLevel());
      for (String problem : options.problems()) {
        log.warn(problem);
      }
      FaultInjection faults = FaultInjection.fromSystemProperty();
      if (faults != null && faults.kind() == FaultInjection.Kind.INSTALL) {
        throw new IllegalStateException(
            "fault injected by -D" + FaultInjection.PROPERTY + "=" + faults);
      }
      // Start-up cost (BENCHMARKS.md section 4): the engine's start (Jackson, reading and compiling
      // the flag file, waiting for a server up to initTimeout) and the transformer's installation
      // are independent, so they run side by side. premain still returns only when both are done,
      // so the application's first calls already see the live values.
      SiteRegistry sites = new SiteRegistry();
      java.util.concurrent.CompletableFuture<DynamicConfig> starting =
          new java.util.concurrent.CompletableFuture<>();
      Thread starter =
          new Thread(
              () -> {
                DynamicConfig started = null;
                try {
                  started = startEngine(options);
                } catch (Throwable t) {
                  log.error("the dynconfig engine could not start", t);
                } finally {
                  starting.complete(started); // always: premain waits for it
                }
              },
              "dynconfig-engine-start");
      starter.setDaemon(true);
      starter.start();
      // Load now what the transformer calls, rather than from inside a ClassFileTransformer.
      GuardedMethods.forFlag("");
      if (late) {
        LateAttachTransformer.install(inst, new SitePlanner(sites));
      } else {
        inst.addTransformer(new LoadTimeTransformer(sites));
      }
      DynamicConfig engine = starting.join();
      if (engine == null) {
        return; // logged by startEngine; the Bridge has no dispatcher, so every body runs as is
      }
      ContextAssembler contexts =
          new ContextAssembler(
              options.mdcUserId(),
              options.mdcSessionId(),
              options.mdcUserRole(),
              options.mdcAttributes());
      if (faults != null) {
        faults.attach(engine); // before the dispatcher subscribes: its listeners run first
      }
      Bridge.install(new EngineDispatcher(sites, Evaluator.of(engine), contexts, faults));
      log.info(
          "agent {} started{}: {}",
          version(),
          late ? " (late attach)" : "",
          options.engineOptions());
    } catch (Throwable t) {
      log.error("the agent could not start; the application runs without dynconfig", t);
    }
  }

  private static DynamicConfig startEngine(AgentOptions options) {
    DynamicConfig engine;
    try {
      engine = DynamicConfig.get(options.engineOptions());
    } catch (Throwable t) {
      log.error(
          "the dynconfig engine could not be created; annotated methods keep their original"
              + " behaviour",
          t);
      return null;
    }
    try {
      engine.initialize();
    } catch (Throwable t) {
      // The engine exists and answers with code defaults (and keeps watching its source), so the
      // annotations still work; the cause is the engine's to report, we only say what it means.
      log.error(
          "the dynconfig engine did not load its first configuration; flags use their defaults"
              + " until the source delivers a valid document",
          t);
    }
    return engine;
  }

  private static String version() {
    String v = AgentInstaller.class.getPackage().getImplementationVersion();
    return v == null ? "(development build)" : v;
  }
}
