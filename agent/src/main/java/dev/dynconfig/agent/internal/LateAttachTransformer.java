package dev.dynconfig.agent.internal;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;

import java.lang.instrument.Instrumentation;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transformer of a late attach ({@code agentmain}): Byte Buddy's {@code AgentBuilder}, which
 * also retransforms the classes already loaded, once. At JVM start {@link LoadTimeTransformer} is
 * used instead (same planner, same prologue), because installing {@code AgentBuilder} costs ~0.4 s
 * of CPU that nothing at JVM start needs.
 */
final class LateAttachTransformer {
  private static final Logger log = LoggerFactory.getLogger(LateAttachTransformer.class);
  private static final String NEXUS_DISABLED = "net.bytebuddy.nexus.disabled";

  /**
   * Our annotation types, read from the agent's jar when the application's loader cannot see them
   * as resources: a loader whose parent is the platform loader resolves {@code dev.dynconfig.api}
   * classes from the bootstrap path, whose class files are not visible as resources, and an
   * annotation whose type cannot be described is silently dropped, which would leave the class
   * unrewritten.
   */
  private static final ClassFileLocator OUR_API =
      new ClassFileLocator.Filtering(
          name -> name.startsWith("dev.dynconfig.api."),
          ClassFileLocator.ForClassLoader.of(LateAttachTransformer.class.getClassLoader()));

  private LateAttachTransformer() {}

  /** Installs the transformer and retransforms the loaded classes that carry our annotations. */
  static void install(Instrumentation inst, SitePlanner planner) {
    // Byte Buddy's Nexus (used only by self-initializing types, which we never create) probes
    // sun.misc.Unsafe in its static initializer, which JDK 24+ reports on stderr (JEP 498). The
    // shade plugin relocates this literal exactly as it relocates Byte Buddy's own constant
    // (Nexus.PROPERTY), so the switch only affects our copy, never an application's Byte Buddy.
    if (System.getProperty(NEXUS_DISABLED) == null) {
      System.setProperty(NEXUS_DISABLED, "true");
    }
    new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        // Only insert instructions into existing methods: no new members, so the rewrite is
        // legal as a retransformation.
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        // We never inject auxiliary classes; the default reflection-based injector probes
        // sun.misc.Unsafe, which JDK 24+ reports with a warning on stderr (JEP 498).
        .with(AgentBuilder.InjectionStrategy.Disabled.INSTANCE)
        // Describe types from their class files only: never load the application's
        // annotation or parameter classes while transforming.
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
        .with(
            new AgentBuilder.LocationStrategy.Compound(
                AgentBuilder.LocationStrategy.ForClassLoader.WEAK,
                new AgentBuilder.LocationStrategy.Simple(OUR_API)))
        .with(new ErrorListener())
        // Most class files never reach Byte Buddy: it would parse each one (~0.13 ms) only to
        // find that it carries none of our annotations.
        .with(PrefilteringTransformer.DECORATOR)
        .ignore(ignored(), ElementMatchers.isBootstrapClassLoader())
        // Rewrite the classes loaded before the attach, once.
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE)
        .type(declaresMethod(isAnnotatedWith(ours())))
        .transform(new SiteTransformer(planner))
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
