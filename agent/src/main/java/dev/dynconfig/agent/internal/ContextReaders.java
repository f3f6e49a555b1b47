package dev.dynconfig.agent.internal;

import dev.dynconfig.api.DynamicContext;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How to read the context sources visible to one application class loader: the application's {@code
 * DynamicContext} scope (normally the bootstrap copy; a different class under a child-first loader
 * or after late attach) and the application's own SLF4J {@code MDC} (never our relocated copy).
 * Resolved on the first call of a site rather than at transform time, because loading classes from
 * inside a {@code ClassFileTransformer} risks {@code ClassCircularityError} and deadlocks.
 *
 * <p>The method handles reach the application's classes, so readers are held strongly only by the
 * {@link SiteState}s of that application's classes; the per-loader cache here holds them weakly (a
 * value that referenced its key would keep an undeployed application alive).
 */
final class ContextReaders {
  private static final Logger log = LoggerFactory.getLogger(ContextReaders.class);

  /**
   * Built at run time so the shade plugin's relocation (which rewrites string constants that look
   * like relocated class names) does not turn it into our own shaded MDC.
   */
  private static final String MDC_CLASS = String.join(".", "org", "slf4j", "MDC");

  private static final String SCOPE_CLASS = DynamicContext.class.getName();

  private static final Map<ClassLoader, WeakReference<ContextReaders>> BY_LOADER =
      new WeakHashMap<>();
  private static final ContextReaders BOOTSTRAP_ONLY = new ContextReaders(null, null);

  /** {@code (String)String}: the app's {@code MDC.get}, or null when it has no SLF4J. */
  final MethodHandle mdcGet;

  /** {@code ()Map}: a foreign {@code DynamicContext.current()}, or null for the bootstrap copy. */
  final MethodHandle foreignScope;

  private ContextReaders(MethodHandle mdcGet, MethodHandle foreignScope) {
    this.mdcGet = mdcGet;
    this.foreignScope = foreignScope;
  }

  /** The readers of the site's class loader. */
  static ContextReaders of(Site site) {
    return site.state().readers;
  }

  /** The readers of {@code loader}, shared by its sites; the caller must hold them strongly. */
  static synchronized ContextReaders forLoader(ClassLoader loader) {
    if (loader == null) {
      return BOOTSTRAP_ONLY;
    }
    WeakReference<ContextReaders> ref = BY_LOADER.get(loader);
    ContextReaders readers = ref == null ? null : ref.get();
    if (readers == null) {
      readers = new ContextReaders(findMdc(loader), findForeignScope(loader));
      BY_LOADER.put(loader, new WeakReference<>(readers));
    }
    return readers;
  }

  /** The current {@code DynamicContext} scope's attributes, or null outside a scope. */
  @SuppressWarnings("unchecked")
  Map<String, Object> scope() {
    if (foreignScope == null) {
      return DynamicContext.current();
    }
    try {
      return (Map<String, Object>) (Map<?, ?>) foreignScope.invokeExact();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("reading the application's DynamicContext failed", t);
    }
  }

  /** The application's {@code MDC.get(key)}, or null without SLF4J. */
  String mdc(String key) {
    if (mdcGet == null) {
      return null;
    }
    try {
      return (String) mdcGet.invokeExact(key);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("reading the application's MDC failed", t);
    }
  }

  private static MethodHandle findMdc(ClassLoader loader) {
    try {
      Class<?> mdc = Class.forName(MDC_CLASS, false, loader);
      MethodHandle get =
          MethodHandles.publicLookup()
              .findStatic(mdc, "get", MethodType.methodType(String.class, String.class));
      log.debug("reading the MDC of {} ({})", loader, mdc.getProtectionDomain());
      return get;
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("cannot read the SLF4J MDC of class loader {}: {}", loader, e.toString());
      return null;
    }
  }

  private static MethodHandle findForeignScope(ClassLoader loader) {
    try {
      Class<?> scope = Class.forName(SCOPE_CLASS, false, loader);
      if (scope == DynamicContext.class) {
        return null;
      }
      return MethodHandles.publicLookup()
          .findStatic(scope, "current", MethodType.methodType(Map.class));
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("cannot read DynamicContext of class loader {}: {}", loader, e.toString());
      return null;
    }
  }
}
