package dev.dynconfig.testagent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One fault the test agent injects, parsed from its argument ({@code
 * -javaagent:fault-agent.jar=<kind>}). Kinds:
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
 *       JVM exits, or for {@code ms};
 *   <li>{@code engineStall:<ms>}: at JVM start, the engine's start is delayed by {@code ms} (the
 *       first calls wait for it at most {@code initTimeout} + 10 s);
 *   <li>{@code engineHold}: at JVM start, the engine's start waits until the file {@value
 *       #RELEASE_FILE} exists in the working directory (at most 5 minutes): the test decides when,
 *       after what it waits for has happened, instead of racing a delay;
 *   <li>{@code engineFail}: at JVM start, the engine's start fails (the first calls must not wait).
 * </ul>
 *
 * JRE-only (and the bootstrap bridge's types), so the unit tests exercise it as the agent runs it.
 */
public final class Fault {
  /** The file whose creation releases an {@code engineHold}, relative to the working directory. */
  public static final String RELEASE_FILE = "release-engine";

  enum Kind {
    INSTALL,
    THROW,
    ERROR,
    SLOW,
    LISTENER_OOM,
    SWAP_STALL,
    ENGINE_STALL,
    ENGINE_HOLD,
    ENGINE_FAIL
  }

  private final Kind kind;
  private final long millis;
  private final String spec;

  private Fault(Kind kind, long millis, String spec) {
    this.kind = kind;
    this.millis = millis;
    this.spec = spec;
  }

  /** The fault {@code spec} names; null for null, blank or unknown (reported) values. */
  public static Fault parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return null;
    }
    String s = spec.trim();
    int colon = s.indexOf(':');
    String name = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
    String arg = colon < 0 ? null : s.substring(colon + 1);
    try {
      return switch (name) {
        case "install" -> new Fault(Kind.INSTALL, 0, s);
        case "throw", "evaluate" -> new Fault(Kind.THROW, 0, s);
        case "error" -> new Fault(Kind.ERROR, 0, s);
        case "slow" -> new Fault(Kind.SLOW, Long.parseLong(arg), s);
        case "listeneroom" -> new Fault(Kind.LISTENER_OOM, 0, s);
        case "swapstall" ->
            new Fault(Kind.SWAP_STALL, arg == null ? Long.MAX_VALUE : Long.parseLong(arg), s);
        case "enginestall" -> new Fault(Kind.ENGINE_STALL, Long.parseLong(arg), s);
        case "enginehold" -> new Fault(Kind.ENGINE_HOLD, 0, s);
        case "enginefail" -> new Fault(Kind.ENGINE_FAIL, 0, s);
        default -> unknown(s);
      };
    } catch (NumberFormatException | NullPointerException e) {
      return unknown(s);
    }
  }

  private static Fault unknown(String spec) {
    report(
        "'"
            + spec
            + "' is not a known fault (install, throw, error, slow:<ms>, listenerOom,"
            + " swapStall[:<ms>], engineStall:<ms>, engineHold, engineFail); no fault is"
            + " injected");
    return null;
  }

  Kind kind() {
    return kind;
  }

  long millis() {
    return millis;
  }

  /** What the agent's start does first: fails with {@code install}. */
  public void installing() {
    if (kind == Kind.INSTALL) {
      throw injected();
    }
  }

  /** Called on the engine's start thread at JVM start, before the engine is created. */
  public void beforeEngineStart() {
    if (kind == Kind.ENGINE_STALL) {
      report("TEST-ONLY fault injection: the engine's start is delayed by " + millis + " ms");
      sleep(millis);
    } else if (kind == Kind.ENGINE_HOLD) {
      report("TEST-ONLY fault injection: the engine's start waits for the file " + RELEASE_FILE);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (!Files.exists(Path.of(RELEASE_FILE)) && System.nanoTime() < deadline) {
        sleep(20);
      }
    } else if (kind == Kind.ENGINE_FAIL) {
      throw injected();
    }
  }

  /** Called before every dispatch: throws or sleeps as configured. */
  public void beforeDispatch() {
    switch (kind) {
      case THROW -> throw injected();
      case ERROR -> throw new StackOverflowError(message());
      case SLOW -> sleep(millis);
      default -> {}
    }
  }

  /** Whether this fault acts on every dispatch (the agent's dispatcher is then wrapped). */
  public boolean onDispatch() {
    return kind == Kind.THROW || kind == Kind.ERROR || kind == Kind.SLOW;
  }

  public boolean listenersThrow() {
    return kind == Kind.LISTENER_OOM;
  }

  public boolean stallsFirstSwap() {
    return kind == Kind.SWAP_STALL;
  }

  /** How long the first swap stalls; {@link Long#MAX_VALUE} for "until the JVM exits". */
  public long stallMillis() {
    return millis;
  }

  /** The message of every injected throwable, naming the fault. */
  public String message() {
    return "fault injected by the test agent: " + spec;
  }

  private IllegalStateException injected() {
    return new IllegalStateException(message());
  }

  /** Prints one line on stderr, where the forked-JVM tests read the agent's log. */
  public static void report(String line) {
    System.err.println("[fault-agent] " + line);
  }

  /** Sleeps; an interrupt ends the sleep early and is kept for the caller's code to see. */
  public static void sleep(long millis) {
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
