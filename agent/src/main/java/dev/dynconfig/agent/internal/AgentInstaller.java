package dev.dynconfig.agent.internal;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.agent.internal.log.AgentLogger;
import dev.dynconfig.bootstrap.Bridge;
import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the transformer and starts the engine. Called reflectively by {@code AgentMain} after
 * the bridge is on the bootstrap class path. Never throws: on any failure the application runs with
 * its original method bodies (rewritten methods run them whenever the bridge has no dispatcher,
 * which is installed only once the engine is in place).
 */
public final class AgentInstaller {
  private static final Logger log = LoggerFactory.getLogger(AgentInstaller.class);

  /**
   * How much longer than {@code initTimeout} the first calls wait for the engine at JVM start: its
   * start (Jackson's first use, reading and compiling the document) takes well under a second of
   * CPU, but on an overloaded machine (load 18 on 2 cores in our start-up benchmark) it took over 8
   * s of wall time. An engine that never starts costs the application this long once.
   */
  static final Duration START_MARGIN = Duration.ofSeconds(10);

  private AgentInstaller() {}

  /** Entry point from {@code AgentMain}; {@code late} is true for {@code agentmain}. */
  public static void install(String agentArgs, Instrumentation inst, boolean late) {
    try {
      AgentOptions options = AgentOptions.resolve(agentArgs);
      AgentLogger.setLevel(options.logLevel());
      for (String problem : options.problems()) {
        log.warn(problem);
      }
      AgentHooks hooks = AgentHooks.fromSystemProperty();
      if (hooks != null) {
        hooks.installing();
      }
      SiteRegistry sites = new SiteRegistry(options.exposures());
      SiteRegistry.startCleaner();
      // Load now what the transformer calls, rather than from inside a ClassFileTransformer.
      GuardedMethods.forFlag("");
      if (late) {
        attach(options, hooks, sites, inst);
      } else {
        start(options, hooks, sites, inst);
      }
    } catch (Throwable t) {
      log.error("the agent could not start; the application runs without dynconfig", t);
    }
  }

  /**
   * JVM start: registers the transformer and returns, while the engine starts on a daemon thread.
   *
   * <p>Start-up cost (BENCHMARKS.md section 4): the engine's start (Jackson, reading and compiling
   * the flag file, waiting for a server up to {@code initTimeout}) takes a large part of a second
   * of CPU, which the application's own start can use in parallel. So that the application's first
   * calls still see the configured values, the {@link Bridge} makes a call that finds no dispatcher
   * wait for it, at most {@code initTimeout} + {@link #START_MARGIN} from now; a call that gives up
   * is logged and runs its original body. The engine thread never loads application classes, so an
   * application thread waiting in a class initializer cannot block it.
   */
  private static void start(
      AgentOptions options, AgentHooks hooks, SiteRegistry sites, Instrumentation inst) {
    Duration initTimeout = options.engineOptions().initTimeout();
    long maxWaitNanos;
    try {
      maxWaitNanos = initTimeout.plus(START_MARGIN).toNanos();
    } catch (ArithmeticException beyondLong) { // an initTimeout of centuries
      maxWaitNanos = Long.MAX_VALUE;
    }
    Bridge.expectDispatcher(
        maxWaitNanos,
        () ->
            log.warn(
                "a call of an annotated method on thread '{}' gave up waiting for the dynconfig"
                    + " engine, which has not started within initTimeout {} + {} s of the agent's"
                    + " start; annotated methods run their original bodies until it has started",
                Thread.currentThread().getName(),
                initTimeout,
                START_MARGIN.toSeconds()));
    try {
      Thread starter =
          new Thread(
              () -> {
                boolean installed = false;
                try {
                  if (hooks != null) {
                    hooks.engineStarting();
                  }
                  DynamicConfig engine = startEngine(options);
                  if (engine != null) {
                    installDispatcher(engine, options, hooks, sites, false);
                    installed = true;
                  }
                } catch (Throwable t) {
                  log.error(
                      "the dynconfig engine could not start; annotated methods keep their"
                          + " original behaviour",
                      t);
                } finally {
                  if (!installed) {
                    Bridge.abandonExpectation(); // no call waits for an engine that is not coming
                  }
                }
              },
              "dynconfig-engine-start");
      starter.setDaemon(true);
      starter.start();
      inst.addTransformer(new LoadTimeTransformer(sites));
    } catch (Throwable t) {
      Bridge.abandonExpectation();
      throw t;
    }
  }

  /**
   * Late attach: the engine starts beside Byte Buddy's installation, which retransforms the loaded
   * classes; the dispatcher is installed once both are done. Calls never wait here: until then the
   * rewritten methods run their original bodies, as they did before the attach.
   */
  private static void attach(
      AgentOptions options, AgentHooks hooks, SiteRegistry sites, Instrumentation inst) {
    CompletableFuture<DynamicConfig> starting = new CompletableFuture<>();
    Thread starter =
        new Thread(
            () -> {
              DynamicConfig started = null;
              try {
                started = startEngine(options);
              } catch (Throwable t) {
                log.error("the dynconfig engine could not start", t);
              } finally {
                starting.complete(started); // always: agentmain waits for it
              }
            },
            "dynconfig-engine-start");
    starter.setDaemon(true);
    starter.start();
    LateAttachTransformer.install(inst, new SitePlanner(sites));
    DynamicConfig engine = starting.join();
    if (engine != null) { // else logged by startEngine; every body runs as is
      installDispatcher(engine, options, hooks, sites, true);
    }
  }

  private static void installDispatcher(
      DynamicConfig engine,
      AgentOptions options,
      AgentHooks hooks,
      SiteRegistry sites,
      boolean late) {
    ContextAssembler contexts =
        new ContextAssembler(
            options.mdcUserId(),
            options.mdcSessionId(),
            options.mdcUserRole(),
            options.mdcAttributes());
    if (hooks == null) {
      Bridge.install(new EngineDispatcher(sites, Evaluator.of(engine), contexts));
    } else {
      hooks.engineStarted(engine); // before the dispatcher subscribes: its listeners run first
      Bridge.install(
          hooks.dispatcher(new EngineDispatcher(sites, Evaluator.of(engine), contexts, false)));
    }
    dev.dynconfig.internal.insight.FleetReports.install(
        new FleetReportSource(sites, options.app(), version()), options.reportInterval());
    log.info(
        "agent {} started{}: {}", version(), late ? " (late attach)" : "", options.engineOptions());
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
    if (options.engineOptions().registerJmx()) {
      handGuardedMethodsToJmx();
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

  /** The flag and test MBeans list the methods this agent rewrote ({@link GuardedMethods}). */
  private static void handGuardedMethodsToJmx() {
    try {
      dev.dynconfig.jmx.JmxRegistration.useGuardedMethods(GuardedMethods.INDEX);
    } catch (LinkageError e) {
      // java.management is missing: the engine logs that it registers no MBeans.
      log.debug("JMX is not available; the guarded methods are not published", e);
    }
  }

  private static String version() {
    String v = AgentInstaller.class.getPackage().getImplementationVersion();
    return v == null ? "(development build)" : v;
  }
}
