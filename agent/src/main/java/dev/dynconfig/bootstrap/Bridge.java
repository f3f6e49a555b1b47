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
   * dispatcher means "not installed": every method runs its original body (after waiting for it
   * while the agent starts the engine, see {@link #expectDispatcher}).
   */
  private static volatile Dispatcher dispatcher;

  /**
   * {@code @Toggle} answers by site id that need no dispatcher call (see {@link ToggleConstant});
   * null or out of range: ask the dispatcher. Replaced whole, never modified in place.
   */
  private static volatile ToggleConstant[] toggleConstants = new ToggleConstant[0];

  /**
   * The start-up wait (cold; see {@link #awaitDispatcher()}): true from {@link #expectDispatcher}
   * until a dispatcher is installed, the start is abandoned, or the wait timed out. Written under
   * {@link #LOCK}; volatile so that calls after the start skip the lock.
   */
  private static volatile boolean expecting;

  private static final Object LOCK = new Object();
  private static long expectedBy; // System.nanoTime() deadline; guarded by LOCK
  private static Runnable onTimeout; // guarded by LOCK; run once, by the call that gave up

  private Bridge() {}

  /** Installs (or with null, removes) the dispatcher; returns the previous one. */
  public static Dispatcher install(Dispatcher newDispatcher) {
    synchronized (LOCK) {
      Dispatcher previous = dispatcher;
      toggleConstants = new ToggleConstant[0]; // they were the previous dispatcher's answers
      dispatcher = newDispatcher;
      if (newDispatcher != null) {
        expecting = false;
        onTimeout = null;
        LOCK.notifyAll();
      }
      return previous;
    }
  }

  /**
   * Called by the agent before any class is rewritten, when it starts the engine in the background:
   * until a dispatcher is {@linkplain #install installed} (or {@link #abandonExpectation()}), the
   * first calls of rewritten methods wait for it, so that they see the configured values rather
   * than the code's, for at most {@code maxWaitNanos} from now. The call that gives up runs {@code
   * timeoutReport} (which must not throw; it should say what happened) and its original body, and
   * no later call waits.
   */
  public static void expectDispatcher(long maxWaitNanos, Runnable timeoutReport) {
    synchronized (LOCK) {
      if (dispatcher != null) {
        return;
      }
      // Capped so that the deadline arithmetic cannot overflow (nanoTime differences wrap at 2^63).
      expectedBy = System.nanoTime() + Math.min(Math.max(0, maxWaitNanos), Long.MAX_VALUE / 4);
      onTimeout = timeoutReport;
      expecting = true;
    }
  }

  /** No dispatcher is coming (the engine could not start): waiting calls run their bodies now. */
  public static void abandonExpectation() {
    synchronized (LOCK) {
      expecting = false;
      onTimeout = null;
      LOCK.notifyAll();
    }
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
    if (d == null && (d = awaitDispatcher()) == null) {
      return true;
    }
    try {
      return d.toggle(site);
    } catch (Throwable t) {
      report(d, site, t);
      return true;
    }
  }

  /**
   * Called by {@code @Variant} entry methods: sibling index; the sibling count for the own body as
   * the control; negative for the own body otherwise.
   */
  public static int variant(int site) {
    Dispatcher d = dispatcher;
    if (d == null && (d = awaitDispatcher()) == null) {
      return -1;
    }
    try {
      return d.variant(site);
    } catch (Throwable t) {
      report(d, site, t);
      return -1;
    }
  }

  /**
   * Called by {@code @Variant} entry methods before running sibling {@code variant}: its start time
   * if this call is timed, else 0.
   */
  public static long variantStart(int site, int variant) {
    Dispatcher d = dispatcher;
    if (d == null) {
      return 0;
    }
    try {
      return d.variantStart(site, variant);
    } catch (Throwable t) {
      return 0;
    }
  }

  /** Called by {@code @Variant} entry methods after sibling {@code variant} returned. */
  public static void variantEnd(long start, int site, int variant) {
    Dispatcher d = dispatcher;
    if (d != null) {
      try {
        d.variantEnd(start, site, variant);
      } catch (Throwable ignored) {
        // Nothing may reach application code.
      }
    }
  }

  /** Called by {@code @Variant} entry methods when sibling {@code variant} threw (rethrown). */
  public static void variantFailed(int site, int variant) {
    Dispatcher d = dispatcher;
    if (d != null) {
      try {
        d.variantFailed(site, variant);
      } catch (Throwable ignored) {
        // Nothing may reach application code.
      }
    }
  }

  /** Called by {@code @Variant} entry methods before their own body runs as the control. */
  public static void controlStart(int site) {
    Dispatcher d = dispatcher;
    if (d != null) {
      try {
        d.controlStart(site);
      } catch (Throwable ignored) {
        // Nothing may reach application code.
      }
    }
  }

  /** Called by {@code @Variant} entry methods before each return of their own body. */
  public static void bodyEnd(int site) {
    Dispatcher d = dispatcher;
    if (d != null) {
      try {
        d.bodyEnd(site);
      } catch (Throwable ignored) {
        // Nothing may reach application code.
      }
    }
  }

  /** Called by {@code @Variant} entry methods when their own body throws (rethrown). */
  public static void bodyFailed(int site) {
    Dispatcher d = dispatcher;
    if (d != null) {
      try {
        d.bodyFailed(site);
      } catch (Throwable ignored) {
        // Nothing may reach application code.
      }
    }
  }

  /** Called by {@code @ConfigValue} methods: the converted value, or {@link #NO_VALUE}. */
  public static Object config(int site) {
    Dispatcher d = dispatcher;
    if (d == null && (d = awaitDispatcher()) == null) {
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

  /**
   * Cold path of a call that found no dispatcher: while the agent is still starting the engine (see
   * {@link #expectDispatcher}), waits until it is installed or the deadline passes; otherwise
   * returns at once. Kept out of the entry points so that their steady state stays one volatile
   * read. Returns the dispatcher, or null to run the original body. Never throws.
   */
  private static Dispatcher awaitDispatcher() {
    if (!expecting) {
      return null;
    }
    Runnable report = null;
    try {
      synchronized (LOCK) {
        while (expecting && dispatcher == null) {
          long left = expectedBy - System.nanoTime();
          if (left <= 0) {
            expecting = false; // later calls run their bodies at once, until the engine is up
            report = onTimeout;
            onTimeout = null;
            break;
          }
          java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(LOCK, left);
        }
      }
    } catch (InterruptedException e) {
      // The application wants this thread to stop waiting: keep the interrupt for its code.
      Thread.currentThread().interrupt();
      return null;
    } catch (Throwable t) {
      return null;
    }
    if (report != null) {
      try {
        report.run();
      } catch (Throwable ignored) {
        // Nothing may reach application code.
      }
    }
    return dispatcher;
  }

  private static void report(Dispatcher d, int site, Throwable t) {
    try {
      d.failed(site, t);
    } catch (Throwable ignored) {
      // Nothing may reach application code; the dispatcher's own reporting failed, give up.
    }
  }
}
