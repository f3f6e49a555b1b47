package dev.dynconfig.agent.internal;

import java.lang.ref.WeakReference;
import java.util.List;

/**
 * One rewritten method, as the agent saw it at transform time. The site id is the index in {@link
 * SiteRegistry}; it is embedded as a constant in the rewritten code. Runtime caches (the class
 * loader's context readers, converted config values) hang off the site so the hot path never looks
 * anything up by name; they live in a {@link SiteState} owned by the method's class, reached
 * weakly, because a site outlives its class (the registry is the agent's) and must not keep an
 * undeployed application's class loader alive.
 */
abstract class Site {
  final int id;
  final String ownerName;
  final String methodName;
  final String descriptor;

  /** {@code com.acme.Pricing#price(Order)}: what operators see (JMX GuardedMethods, logs). */
  final String display;

  private final SiteRegistry.LoaderRef loader;

  /** The run-time state, owned by the method's class; attached on the first call. */
  private volatile WeakReference<SiteState> state = SiteState.NONE;

  /** Unknown-key and anonymous-call reporting (cold paths only). */
  final SiteInsight insight = new SiteInsight();

  Site(int id, String ownerName, String methodName, String descriptor, ClassLoader loader) {
    this.id = id;
    this.ownerName = ownerName;
    this.methodName = methodName;
    this.descriptor = descriptor;
    this.loader = new SiteRegistry.LoaderRef(loader, id);
    this.display = display(ownerName, methodName, descriptor);
  }

  /**
   * The site's run-time state: one volatile read and a weak-reference read after the first call.
   */
  final SiteState state() {
    SiteState s = state.get();
    return s != null ? s : attachState();
  }

  private synchronized SiteState attachState() {
    SiteState s = state.get();
    if (s != null) {
      return s;
    }
    s = SiteState.attach(ownerClass());
    state = new WeakReference<>(s);
    return s;
  }

  /**
   * The method's class. Called on the first call of the method, so the class is loaded; never from
   * inside a transformer.
   */
  final Class<?> ownerClass() {
    ClassLoader l = loader.get();
    if (l == null && !loader.bootstrap) {
      throw new IllegalStateException("the class loader of " + display + " has been collected");
    }
    try {
      return Class.forName(ownerName, false, l);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(ownerName + " is not visible from its own class loader", e);
    }
  }

  /** {@code com.acme.Pricing#price(Order, int)}: parameter types by simple name. */
  static String display(String ownerName, String methodName, String descriptor) {
    StringBuilder sb = new StringBuilder(ownerName).append('#').append(methodName).append('(');
    net.bytebuddy.jar.asm.Type[] args = net.bytebuddy.jar.asm.Type.getArgumentTypes(descriptor);
    for (int i = 0; i < args.length; i++) {
      String name = args[i].getClassName();
      int dot = name.lastIndexOf('.');
      // Nested classes keep their outer name (Outer$Inner -> Outer.Inner), as Java source does.
      sb.append(i > 0 ? ", " : "").append(name.substring(dot + 1).replace('$', '.'));
    }
    return sb.append(')').toString();
  }

  /** {@code int themeAsInt()}, {@code List ids(Order)}: the method as Java source names it. */
  String javaSignature() {
    String returned = net.bytebuddy.jar.asm.Type.getReturnType(descriptor).getClassName();
    String simple = returned.substring(returned.lastIndexOf('.') + 1).replace('$', '.');
    String shown = display.substring(display.indexOf('#') + 1);
    return simple + " " + shown;
  }

  ClassLoader loader() {
    return loader.get();
  }

  SiteRegistry.LoaderRef loaderRef() {
    return loader;
  }

  /** {@code com.acme.Pricing#price(Lcom/acme/Order;)Ljava/math/BigDecimal;} for logs and JMX. */
  String describe() {
    return ownerName + "#" + methodName + descriptor;
  }

  /**
   * What the dispatcher learnt about a site's flag or test from one snapshot: {@code generation}
   * identifies the snapshot (see {@code EngineDispatcher}), {@code fast} means the context is not
   * needed (a {@code @Toggle} on a context-free flag, a {@code @Variant} on an unknown test).
   * Immutable, so a reader sees both fields of the same snapshot; replaced once per swap.
   */
  record Shape(Object generation, boolean fast) {}

  /** As {@link Shape} for a {@code @Toggle}: what of the context its flag needs in one snapshot. */
  record ToggleShape(Object generation, Evaluator.Needs needs, boolean bucketed) {}

  /** A {@code @Toggle} method. */
  static final class ToggleSite extends Site {
    final String flag;
    final boolean defaultValue;
    final Boolean defaultBox;

    /** What of the context the flag needs, as of the latest snapshot seen by a call. */
    volatile ToggleShape shape;

    ToggleSite(
        int id,
        String owner,
        String method,
        String descriptor,
        ClassLoader loader,
        String flag,
        boolean defaultValue) {
      super(id, owner, method, descriptor, loader);
      // Interned: the engine finds a flag by the identity of its (interned) key before it falls
      // back to a map lookup and the general evaluation path; the annotation's string, read from
      // the class file, is a different object (measured: +17 ns per call, BENCHMARKS.md section 2).
      this.flag = flag.intern();
      this.defaultValue = defaultValue;
      this.defaultBox = defaultValue;
    }

    /** Calls per result of a rollout or targeting flag: slot 0 false, slot 1 true. */
    final ExposureCounters exposures = new ExposureCounters(2, false);
  }

  /** A {@code @Variant} entry method and the sibling ids, in the order of the dispatch table. */
  static final class VariantSite extends Site {
    final String test;
    final String[] siblingIds;

    /** Whether the test is unknown, as of the latest snapshot seen by a call. */
    volatile Shape shape;

    VariantSite(
        int id,
        String owner,
        String method,
        String descriptor,
        ClassLoader loader,
        String test,
        List<String> siblingIds) {
      super(id, owner, method, descriptor, loader);
      this.test = test;
      this.siblingIds = siblingIds.toArray(new String[0]);
      this.exposures = new ExposureCounters(this.siblingIds.length + 1, true);
    }

    /** Per sibling index, then the control (the entry's own body) at {@code siblingIds.length}. */
    final ExposureCounters exposures;

    /** The id of the test's control variant, as last assigned (for exposure reports). */
    volatile String controlId = "control";

    /** The dispatch index of {@code variantId}, or -1 to run the entry method's own body. */
    int indexOf(String variantId) {
      if (variantId == null) {
        return -1;
      }
      String[] ids = siblingIds;
      for (int i = 0; i < ids.length; i++) {
        if (ids[i].equals(variantId)) {
          return i;
        }
      }
      return -1;
    }
  }

  /** A {@code @ConfigValue} method. */
  static final class ConfigSite extends Site {
    final String namespace;
    final String key;

    ConfigSite(
        int id,
        String owner,
        String method,
        String descriptor,
        ClassLoader loader,
        String namespace,
        String key) {
      super(id, owner, method, descriptor, loader);
      this.namespace = namespace;
      this.key = key;
    }
  }

  /** An immutable (raw → converted) pair, compared by identity of {@code raw}. */
  record Converted(Object raw, Object value) {}
}
