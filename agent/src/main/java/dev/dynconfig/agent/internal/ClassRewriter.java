package dev.dynconfig.agent.internal;

import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.TypeResolutionStrategy;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.pool.TypePool;

/**
 * Rewrites one class file at load time: describes the type from its bytes (and, for super types,
 * from its loader's resources, never by loading a class), plans its annotated methods ({@link
 * SitePlanner}) and inserts the {@link SitePrologue}s with Byte Buddy's decorating type writer,
 * which only changes method bodies. This is what {@code AgentBuilder} did per class, without its
 * installation cost (see {@link LoadTimeTransformer}). Created on the first candidate class, so
 * that Byte Buddy is loaded only once an annotated class appears.
 */
final class ClassRewriter {
  /**
   * Our annotation types, read from the agent's jar when the application's loader cannot see them
   * as resources: a loader whose parent is the platform loader resolves {@code dev.dynconfig.api}
   * classes from the bootstrap path, whose class files are not visible as resources, and an
   * annotation whose type cannot be described is silently dropped, which would leave the class
   * unrewritten.
   */
  static final ClassFileLocator OUR_API =
      new ClassFileLocator.Filtering(
          name -> name.startsWith("dev.dynconfig.api."),
          ClassFileLocator.ForClassLoader.of(ClassRewriter.class.getClassLoader()));

  // No new members are ever added, so Byte Buddy's validation of the (unchanged) shape is skipped.
  private final ByteBuddy byteBuddy = new ByteBuddy().with(TypeValidation.DISABLED);
  private final SitePlanner planner;

  ClassRewriter(SitePlanner planner) {
    this.planner = planner;
  }

  /**
   * The rewritten class file of {@code name} (binary name, with dots), or null when none of its
   * methods is rewritten (no accepted annotation, or a synthetic type). Throws on a class file it
   * cannot read or write; the caller leaves such a class unchanged.
   */
  byte[] rewrite(String name, byte[] classFile, ClassLoader loader) {
    ClassFileLocator locator =
        new ClassFileLocator.Compound(
            ClassFileLocator.Simple.of(name, classFile),
            ClassFileLocator.ForClassLoader.of(loader),
            OUR_API);
    // A fresh cache per class, as AgentBuilder's default pool strategy does: a loader's resources
    // can change, and the pool is only used for the few annotated classes.
    TypePool pool =
        new TypePool.Default.WithLazyResolution(
            new TypePool.CacheProvider.Simple(), locator, TypePool.Default.ReaderMode.FAST);
    TypeDescription type = pool.describe(name).resolve();
    if (type.isSynthetic()) {
      return null;
    }
    Map<String, MethodPlan> plans = planner.plan(type, loader);
    if (plans.isEmpty()) {
      return null;
    }
    return byteBuddy
        .decorate(type, locator)
        .visit(SiteTransformer.prologues(plans))
        .make(TypeResolutionStrategy.Disabled.INSTANCE, pool)
        .getBytes();
  }
}
