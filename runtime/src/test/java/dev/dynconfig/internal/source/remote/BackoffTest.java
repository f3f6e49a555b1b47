package dev.dynconfig.internal.source.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.RetryOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BackoffTest {
  static final RetryOptions RETRY =
      new RetryOptions(4, Duration.ofMillis(100), Duration.ofSeconds(2));

  @Test
  void delays_growExponentially_withinBaseAndCap() {
    Backoff low = new Backoff(RETRY, () -> 0.0);
    Backoff high = new Backoff(RETRY, () -> 0.999999);
    // ceilings: 200, 400, 800 ms, then exhausted (4 failures) -> [1000, 2000]
    assertThat(high.nextDelay()).isBetween(Duration.ofMillis(199), Duration.ofMillis(200));
    assertThat(high.nextDelay()).isBetween(Duration.ofMillis(399), Duration.ofMillis(400));
    assertThat(high.nextDelay()).isBetween(Duration.ofMillis(799), Duration.ofMillis(800));
    for (int i = 0; i < 3; i++) {
      assertThat(low.nextDelay()).isEqualTo(Duration.ofMillis(100));
    }
  }

  @Test
  void jitter_spreadsDelaysAcrossTheWholeWindow() {
    AtomicReference<Double> r = new AtomicReference<>(0.5);
    Backoff b = new Backoff(RETRY, r::get);
    b.nextDelay();
    assertThat(b.nextDelay()).isEqualTo(Duration.ofMillis(100 + 150)); // [100, 400] midpoint
  }

  @Test
  void afterMaxAttempts_reportsExhausted_andStaysNearMaxDelay_capNeverExceeded() {
    Backoff low = new Backoff(RETRY, () -> 0.0);
    Backoff high = new Backoff(RETRY, () -> 0.999999);
    for (int i = 1; i <= 3; i++) {
      low.nextDelay();
      high.nextDelay();
      assertThat(low.exhausted()).as("after %d failures", i).isFalse();
    }
    for (int i = 0; i < 100; i++) {
      Duration l = low.nextDelay();
      Duration h = high.nextDelay();
      assertThat(low.exhausted()).isTrue();
      assertThat(l).isEqualTo(Duration.ofSeconds(1));
      assertThat(h)
          .isLessThanOrEqualTo(Duration.ofSeconds(2))
          .isGreaterThan(Duration.ofMillis(1990));
    }
  }

  @Test
  void reset_startsOverFromBaseDelay() {
    Backoff b = new Backoff(RETRY, () -> 0.999999);
    for (int i = 0; i < 10; i++) {
      b.nextDelay();
    }
    b.reset();
    assertThat(b.exhausted()).isFalse();
    assertThat(b.failures()).isZero();
    assertThat(b.nextDelay()).isLessThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void hugeFailureCounts_neverOverflow() {
    RetryOptions r = new RetryOptions(1000, Duration.ofMillis(1), Duration.ofDays(365));
    Backoff b = new Backoff(r, () -> 0.999999);
    Duration last = Duration.ZERO;
    for (int i = 0; i < 200; i++) {
      Duration d = b.nextDelay();
      assertThat(d).isPositive().isLessThanOrEqualTo(Duration.ofDays(365));
      last = d;
    }
    assertThat(last).isGreaterThan(Duration.ofDays(364));
  }

  @Test
  void zeroBaseDelay_isAllowed() {
    Backoff b = new Backoff(new RetryOptions(1, Duration.ZERO, Duration.ofMillis(10)), () -> 0.5);
    assertThat(b.nextDelay()).isBetween(Duration.ZERO, Duration.ofMillis(10));
  }
}
