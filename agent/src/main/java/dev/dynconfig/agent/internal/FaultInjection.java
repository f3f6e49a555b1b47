package dev.dynconfig.agent.internal;

import dev.dynconfig.DynamicConfig;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only fault injection, so forked-JVM tests can prove that nothing dynconfig does reaches or
 * blocks the host application. Switched on by the system property {@value #PROPERTY}, read once
 * when the agent starts; off (the default) it costs one final-field null check per dispatch. Never
 * set it in production. Kinds:
 *
 * <ul>
 *   <li>{@code install}: the agent fails while starting (the app must run unmodified);
 *   <li>{@code throw} (alias {@code evaluate}): every dispatch throws an {@link
 *       IllegalStateException};
 *   <li>{@code error}: every dispatch throws a {@link StackOverflowError} (an {@link Error} that
 *       careless {@code catch (Exception)} code would let through);
 *   <li>{@code slow:<ms>}: every dispatch sleeps {@code ms} before evaluating (slow evaluation on
 *       the application's thread);
 *   <li>{@code listenerOom}: on every reload, a config-change listener and a snapshot listener
 *       subscribed to the engine throw {@link OutOfMemoryError}; they are subscribed before the
 *       agent's own snapshot listener, so an engine that let the error escape would skip it;
 *   <li>{@code swapStall} / {@code swapStall:<ms>}: on the first reload after start, a snapshot
 *       listener blocks the reload path (which holds the engine's lock while it notifies) until the
 *       JVM exits, or for {@code ms}.
 *   <li>{@code engineStall:<ms>}: at JVM start, the engine's start is delayed by {@code ms} (the
 *       first calls wait for it at most {@code initTimeout} + 10 s);
 *   <li>{@code engineFail}: at JVM start, the engine's start fails (the first calls must not wait).
 * </ul>
 */
final class FaultInjection {
  /** The system property; see the class comment for its values. */
  static final String PROPERTY = "dynconfig.test.faultInjection";

  private static final Logger log = LoggerFactory.getLogger(FaultInjection.class);

  enum Kind {
    INSTALL,
    THROW,
    ERROR,
    SLOW,
    LISTENER_OOM,
    SWAP_STALL,
    ENGINE_STALL,
    ENGINE_FAIL
  }

  private final Kind kind;
  private final long millis;
  private final String spec;

  private FaultInjection(Kind kind, long millis, String spec) {
    this.kind = kind;
    this.millis = millis;
    this.spec = spec;
  }

  /** The configured fault, or null when none (or an unknown one, which is logged) is set. */
  static FaultInjection fromSystemProperty() {
    return parse(System.getProperty(PROPERTY));
  }

  /** Parses a {@value #PROPERTY} value; null for null, blank or unknown (logged) values. */
  static FaultInjection parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return null;
    }
    String s = spec.trim();
    int colon = s.indexOf(':');
    String name = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
    String arg = colon < 0 ? null : s.substring(colon + 1);
    try {
      return switch (name) {
        case "install" -> new FaultInjection(Kind.INSTALL, 0, s);
        case "throw", "evaluate" -> new FaultInjection(Kind.THROW, 0, s);
        case "error" -> new FaultInjection(Kind.ERROR, 0, s);
        case "slow" -> new FaultInjection(Kind.SLOW, Long.parseLong(arg), s);
        case "listeneroom" -> new FaultInjection(Kind.LISTENER_OOM, 0, s);
        case "swapstall" ->
            new FaultInjection(
                Kind.SWAP_STALL, arg == null ? Long.MAX_VALUE : Long.parseLong(arg), s);
        case "enginestall" -> new FaultInjection(Kind.ENGINE_STALL, Long.parseLong(arg), s);
        case "enginefail" -> new FaultInjection(Kind.ENGINE_FAIL, 0, s);
        default -> unknown(s);
      };
    } catch (NumberFormatException | NullPointerException e) {
      return unknown(s);
    }
  }

  private static FaultInjection unknown(String spec) {
    log.warn(
        "-D{}={} is not a known fault (install, throw, error, slow:<ms>, listenerOom,"
            + " swapStall[:<ms>], engineStall:<ms>, engineFail); no fault is injected",
        PROPERTY,
        spec);
    return null;
  }

  Kind kind() {
    return kind;
  }

  /** Called on the engine's start thread at JVM start, before the engine is created. */
  void beforeEngineStart() {
    if (kind == Kind.ENGINE_STALL) {
      log.warn("TEST-ONLY fault injection: the engine's start is delayed by {} ms", millis);
      sleep(millis);
    } else if (kind == Kind.ENGINE_FAIL) {
      throw new IllegalStateException("fault injected by -D" + PROPERTY + "=" + spec);
    }
  }

  /** Called by the dispatcher before every evaluation: throws or sleeps as configured. */
  void beforeDispatch() {
    switch (kind) {
      case THROW -> throw new IllegalStateException("fault injected by -D" + PROPERTY + "=" + spec);
      case ERROR -> throw new StackOverflowError("fault injected by -D" + PROPERTY + "=" + spec);
      case SLOW -> sleep(millis);
      default -> {}
    }
  }

  /**
   * Subscribes the failing or stalling listeners to {@code engine}; called before the agent
   * subscribes its own, so they run first on every swap.
   */
  void attach(DynamicConfig engine) {
    log.warn("TEST-ONLY fault injection is active: -D{}={}", PROPERTY, spec);
    if (kind == Kind.LISTENER_OOM) {
      engine.subscribeToConfig(
          null,
          null,
          event -> {
            throw new OutOfMemoryError(
                "fault injected by -D" + PROPERTY + "=" + spec + " (config listener)");
          });
      engine
          .introspection()
          .subscribeToSnapshots(
              info -> {
                throw new OutOfMemoryError(
                    "fault injected by -D" + PROPERTY + "=" + spec + " (snapshot listener)");
              });
    } else if (kind == Kind.SWAP_STALL) {
      boolean[] stalled = {false};
      engine
          .introspection()
          .subscribeToSnapshots(
              info -> {
                // Listeners run one at a time under the engine's lock, so no race on the flag.
                if (stalled[0]) {
                  return;
                }
                stalled[0] = true;
                log.warn(
                    "fault injected by -D{}={}: the reload path to version {} stalls {} while"
                        + " holding the engine's lock",
                    PROPERTY,
                    spec,
                    info.version(),
                    millis == Long.MAX_VALUE ? "until the JVM exits" : "for " + millis + " ms");
                sleep(millis);
                log.warn(
                    "fault injected by -D{}={}: the reload path stall is over", PROPERTY, spec);
              });
    }
  }

  /** Sleeps; an interrupt ends the sleep early and is kept for the caller's code to see. */
  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return spec;
  }
}
