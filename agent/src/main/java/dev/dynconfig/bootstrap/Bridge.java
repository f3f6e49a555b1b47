package dev.dynconfig.bootstrap;

/**
 * The static entry points that rewritten application methods call. This class is appended to the
 * bootstrap class path by the agent, so code in every class loader (child-first web-app loaders,
 * Spring Boot fat jars, OSGi with boot delegation) resolves the same class. It uses only JRE types.
 *
 * <p>Contract with the rewritten code: these methods never throw. Whatever goes wrong (no
 * dispatcher yet, an engine bug, an {@link Error} in evaluation) makes them answer "run the
 * original body".
 */
public final class Bridge {

  /** Returned by {@link #config(int)} when the method's own body must supply the value. */
  public static final Object NO_VALUE = new Object();

  /**
   * Plain volatile read on the hot path; written once by the agent (and by tests). A null
   * dispatcher means "not installed": every method runs its original body.
   */
  private static volatile Dispatcher dispatcher;

  /**
   * {@code @Toggle} answers by site id that need no dispatcher call (see {@link ToggleConstant});
   * null or out of range: ask the dispatcher. Replaced whole, never modified in place.
   */
  private static volatile ToggleConstant[] toggleConstants = new ToggleConstant[0];

  private Bridge() {}

  /** Installs (or with null, removes) the dispatcher; returns the previous one. */
  public static Dispatcher install(Dispatcher newDispatcher) {
    Dispatcher previous = dispatcher;
    toggleConstants = new ToggleConstant[0]; // they were the previous dispatcher's answers
    dispatcher = newDispatcher;
    return previous;
  }

  /**
   * Publishes the {@code @Toggle} answers that need no dispatcher call, indexed by site id (the
   * array is used as is: never modify it afterwards). An empty array withdraws them all.
   */
  public static void publishToggleConstants(ToggleConstant[] constants) {
    toggleConstants = constants;
  }

  /** The installed dispatcher, or null. */
  public static Dispatcher dispatcher() {
    return dispatcher;
  }

  /**
   * Called first by {@code @Toggle} methods: the site's constant answer, or null to call {@link
   * #toggle}. Kept tiny on purpose: its machine code must stay small enough for the JIT to inline
   * it into every rewritten method, which a method that could also reach the dispatcher would not
   * (C2 refuses callees "already compiled into a big method"). Never throws: {@code site} is a
   * non-negative constant and the table is never null.
   */
  public static ToggleConstant toggleConstant(int site) {
    ToggleConstant[] constants = toggleConstants; // volatile: a plain load on x86 and ARM
    return site < constants.length ? constants[site] : null;
  }

  /** Called by {@code @Toggle} methods: true runs the body, false runs {@code otherwise}. */
  public static boolean toggle(int site) {
    Dispatcher d = dispatcher;
    if (d == null) {
      return true;
    }
    try {
      return d.toggle(site);
    } catch (Throwable t) {
      report(d, site, t);
      return true;
    }
  }

  /** Called by {@code @Variant} entry methods: sibling index, or negative for the own body. */
  public static int variant(int site) {
    Dispatcher d = dispatcher;
    if (d == null) {
      return -1;
    }
    try {
      return d.variant(site);
    } catch (Throwable t) {
      report(d, site, t);
      return -1;
    }
  }

  /** Called by {@code @ConfigValue} methods: the converted value, or {@link #NO_VALUE}. */
  public static Object config(int site) {
    Dispatcher d = dispatcher;
    if (d == null) {
      return NO_VALUE;
    }
    try {
      Object value = d.config(site);
      // A null from a buggy dispatcher would NPE in the unboxing code of a primitive method.
      return value == null ? NO_VALUE : value;
    } catch (Throwable t) {
      report(d, site, t);
      return NO_VALUE;
    }
  }

  private static void report(Dispatcher d, int site, Throwable t) {
    try {
      d.failed(site, t);
    } catch (Throwable ignored) {
      // Nothing may reach application code; the dispatcher's own reporting failed, give up.
    }
  }
}
