package dev.dynconfig.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bridge while the agent starts the engine in the background: the first calls of rewritten
 * methods wait for the dispatcher (so they see the configured values), but never after the start
 * failed or timed out. The {@code @Timeout}s only turn a hang into a failure.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeStartupTest {
  private static final long LONG_WAIT = TimeUnit.MINUTES.toNanos(10);

  private Dispatcher previous;

  @BeforeEach
  void clear() {
    previous = Bridge.install(null);
  }

  @AfterEach
  void restore() {
    Bridge.abandonExpectation();
    Bridge.install(previous);
  }

  @Test
  void firstCall_waitsForTheDispatcher_andSeesItsAnswer() throws Exception {
    Bridge.expectDispatcher(LONG_WAIT, () -> {});
    AtomicReference<Boolean> answer = new AtomicReference<>();
    Thread caller = new Thread(() -> answer.set(Bridge.toggle(0)), "early-caller");
    caller.start();
    awaitWaiting(caller);

    Bridge.install(new Fixed(false, 2, "configured"));
    caller.join();

    assertThat(answer.get()).as("the flag's value, not the original body").isFalse();
  }

  @Test
  void abandonedStart_releasesWaitingCalls_andLaterCallsRunTheirBodiesAtOnce() throws Exception {
    AtomicInteger reports = new AtomicInteger();
    Bridge.expectDispatcher(LONG_WAIT, reports::incrementAndGet);
    AtomicReference<Integer> answer = new AtomicReference<>();
    Thread caller = new Thread(() -> answer.set(Bridge.variant(0)), "early-caller");
    caller.start();
    awaitWaiting(caller);

    Bridge.abandonExpectation();
    caller.join();

    assertThat(answer.get()).as("the entry method's own body").isEqualTo(-1);
    // Would wait ten minutes (and hit the @Timeout) if the abandoned start still made calls wait.
    assertThat(Bridge.toggle(0)).isTrue();
    assertThat(Bridge.config(0)).isSameAs(Bridge.NO_VALUE);
    assertThat(reports).as("giving up is the agent's to log, not a timeout").hasValue(0);
  }

  @Test
  void timedOutWait_runsTheOriginalBody_reportsOnce_andTheEngineStillTakesOverLater() {
    AtomicInteger reports = new AtomicInteger();
    Bridge.expectDispatcher(0, reports::incrementAndGet);

    assertThat(Bridge.toggle(0)).isTrue();
    assertThat(Bridge.variant(0)).isEqualTo(-1);
    assertThat(Bridge.config(0)).isSameAs(Bridge.NO_VALUE);
    assertThat(reports).hasValue(1);

    Bridge.install(new Fixed(false, 1, "late"));
    assertThat(Bridge.toggle(0)).isFalse();
    assertThat(Bridge.variant(0)).isEqualTo(1);
    assertThat(Bridge.config(0)).isEqualTo("late");
  }

  @Test
  void failingTimeoutReport_neverReachesTheCaller() {
    Bridge.expectDispatcher(
        0,
        () -> {
          throw new IllegalStateException("broken logger");
        });
    assertThat(Bridge.toggle(0)).isTrue();
  }

  @Test
  void interruptedCaller_stopsWaiting_andKeepsItsInterrupt() {
    Bridge.expectDispatcher(LONG_WAIT, () -> {});
    Thread.currentThread().interrupt();
    try {
      assertThat(Bridge.toggle(0)).isTrue();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void installedDispatcher_isNeverReplacedByALaterExpectation() {
    Bridge.install(new Fixed(false, 0, "v"));
    Bridge.expectDispatcher(LONG_WAIT, () -> {});
    assertThat(Bridge.toggle(0)).isFalse();
  }

  /** Waits (bounded by the class's @Timeout) until {@code t} blocks in the bridge. */
  private static void awaitWaiting(Thread t) throws InterruptedException {
    while (t.getState() != Thread.State.TIMED_WAITING) {
      assertThat(t.isAlive()).as("the caller returned without waiting").isTrue();
      Thread.sleep(5);
    }
  }

  private record Fixed(boolean toggle, int variant, Object config) implements Dispatcher {
    @Override
    public boolean toggle(int site) {
      return toggle;
    }

    @Override
    public int variant(int site) {
      return variant;
    }

    @Override
    public Object config(int site) {
      return config;
    }

    @Override
    public void failed(int site, Throwable failure) {}
  }
}
