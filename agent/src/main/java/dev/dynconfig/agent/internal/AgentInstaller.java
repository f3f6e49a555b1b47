package dev.dynconfig.agent.internal;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.agent.internal.log.AgentLogger;
import dev.dynconfig.bootstrap.Bridge;
import dev.dynconfig.jmx.GuardedMethods;
import java.lang.instrument.Instrumentation;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;
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
  private static final String NEXUS_DISABLED = "net.bytebuddy.nexus.disabled";

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
      // the flag file, waiting for a server up to initTimeout) and Byte Buddy's installation are
      // independent, so they run side by side. premain still returns only when both are done, so
      // the application's first calls already see the live values.
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
      installTransformer(inst, new SitePlanner(sites), late);
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

  static void installTransformer(Instrumentation inst, SitePlanner planner, boolean late) {
    // Byte Buddy's Nexus (used only by self-initializing types, which we never create) probes
    // sun.misc.Unsafe in its static initializer, which JDK 24+ reports on stderr (JEP 498). The
    // shade plugin relocates this literal exactly as it relocates Byte Buddy's own constant
    // (Nexus.PROPERTY), so the switch only affects our copy, never an application's Byte Buddy.
    if (System.getProperty(NEXUS_DISABLED) == null) {
      System.setProperty(NEXUS_DISABLED, "true");
    }
    AgentBuilder builder =
        new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
            // Only insert instructions into existing methods: no new members, so the same
            // rewrite is legal as a retransformation after late attach.
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            // We never inject auxiliary classes; the default reflection-based injector probes
            // sun.misc.Unsafe, which JDK 24+ reports with a warning on stderr (JEP 498).
            .with(AgentBuilder.InjectionStrategy.Disabled.INSTANCE)
            // Describe types from their class files only: never load the application's
            // annotation or parameter classes while transforming.
            .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
            .with(new ErrorListener())
            // Most class files never reach Byte Buddy: it would parse each one (~0.13 ms) only to
            // find that it carries none of our annotations.
            .with(AnnotationPrefilter.DECORATOR)
            .ignore(ignored(), ElementMatchers.isBootstrapClassLoader());
    if (late) {
      builder =
          builder
              .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
              .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE);
    }
    builder
        .type(declaresMethod(isAnnotatedWith(ours())))
        .transform(new SiteTransformer(planner::plan))
        .installOn(inst);
  }

  private static ElementMatcher.Junction<TypeDescription> ignored() {
    return nameStartsWith("java.")
        .or(nameStartsWith("javax.management."))
        .or(nameStartsWith("jdk."))
        .or(nameStartsWith("sun."))
        .or(nameStartsWith("com.sun."))
        .or(nameStartsWith("dev.dynconfig."))
        .or(nameStartsWith("net.bytebuddy."))
        .or(isSynthetic());
  }

  private static ElementMatcher.Junction<TypeDescription> ours() {
    return named(SitePlanner.TOGGLE)
        .or(named(SitePlanner.VARIANT))
        .or(named(SitePlanner.CONFIG_VALUE));
  }

  private static String version() {
    String v = AgentInstaller.class.getPackage().getImplementationVersion();
    return v == null ? "(development build)" : v;
  }

  /** Logs each class that could not be transformed, once; the class then loads unchanged. */
  private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    @Override
    public void onTransformation(
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        boolean loaded,
        DynamicType dynamicType) {
      log.debug("rewrote {} (loader {})", type.getName(), loader);
    }

    @Override
    public void onError(
        String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
      if (reported.add(typeName)) {
        log.warn(
            "could not rewrite {}; its annotated methods keep their original behaviour",
            typeName,
            t);
      }
    }
  }
}
