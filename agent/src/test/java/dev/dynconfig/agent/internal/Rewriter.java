package dev.dynconfig.agent.internal;

import java.util.HashMap;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Test helper: a child-first class loader that defines the given classes rewritten exactly as the
 * agent's transformer rewrites them (same planner, same prologue), without an agent.
 */
final class Rewriter extends ClassLoader {
  private final Map<String, byte[]> definitions = new HashMap<>();
  private final Map<String, Map<String, MethodPlan>> plans = new HashMap<>();

  Rewriter(SitePlanner planner, Class<?>... classes) {
    super(Rewriter.class.getClassLoader());
    ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(getParent());
    TypePool pool = TypePool.Default.of(locator);
    for (Class<?> c : classes) {
      TypeDescription type = pool.describe(c.getName()).resolve();
      plans.put(c.getName(), planner.plan(type, this));
      byte[] bytes =
          new SiteTransformer((t, l) -> plans.get(c.getName()))
              .transform(new ByteBuddy().decorate(type, locator), type, this, null, null)
              .make()
              .getBytes();
      definitions.put(c.getName(), bytes);
    }
  }

  Map<String, MethodPlan> plans(Class<?> c) {
    return plans.get(c.getName());
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      byte[] bytes = definitions.get(name);
      if (bytes == null) {
        return super.loadClass(name, resolve);
      }
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        c = defineClass(name, bytes, 0, bytes.length);
      }
      return c;
    }
  }
}
