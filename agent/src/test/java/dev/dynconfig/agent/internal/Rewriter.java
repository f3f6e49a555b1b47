package dev.dynconfig.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Test helper: a child-first class loader that defines the given classes rewritten exactly as the
 * agent rewrites them (same planner, same prologue), without an agent: by default as at class load
 * ({@link ClassRewriter}, ASM alone), or as after a late attach ({@link SiteTransformer}, Byte
 * Buddy).
 */
final class Rewriter extends ClassLoader {
  enum Path {
    CLASS_LOAD,
    LATE_ATTACH
  }

  private final Map<String, byte[]> definitions = new HashMap<>();
  private final Map<String, Map<String, MethodPlan>> plans = new HashMap<>();

  Rewriter(SitePlanner planner, Class<?>... classes) {
    this(Path.CLASS_LOAD, planner, classes);
  }

  Rewriter(Path path, SitePlanner planner, Class<?>... classes) {
    super(Rewriter.class.getClassLoader());
    for (Class<?> c : classes) {
      byte[] original = classFile(c);
      Map<String, MethodPlan> planned;
      byte[] bytes;
      if (path == Path.CLASS_LOAD) {
        planned = planner.plan(ClassShapes.read(original), this);
        bytes = ClassRewriter.insertPrologues(original, planned);
      } else {
        ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(getParent());
        TypeDescription type = TypePool.Default.of(locator).describe(c.getName()).resolve();
        planned = planner.plan(SiteTransformer.shapeOf(type), this);
        bytes =
            new ByteBuddy()
                .decorate(type, locator)
                .visit(SiteTransformer.prologues(planned))
                .make()
                .getBytes();
      }
      plans.put(c.getName(), planned);
      definitions.put(c.getName(), bytes);
    }
  }

  Map<String, MethodPlan> plans(Class<?> c) {
    return plans.get(c.getName());
  }

  private byte[] classFile(Class<?> c) {
    String resource = c.getName().replace('.', '/') + ".class";
    try (InputStream in = getParent().getResourceAsStream(resource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
