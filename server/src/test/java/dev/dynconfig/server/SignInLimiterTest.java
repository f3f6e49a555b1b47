package dev.dynconfig.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynconfig.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignInLimiterTest {
  final MutableClock clock = new MutableClock("2026-01-01T09:00:00Z");
  final SignInLimiter limiter = new SignInLimiter(clock, 3, Duration.ofMinutes(1), 2);

  void fail(String address, int times) {
    for (int i = 0; i < times; i++) {
      limiter.failed(address, "test sign-in");
    }
  }

  @Test
  void anAddress_isLockedOut_afterMaxFailures_untilTheWindowPasses() {
    fail("10.0.0.1", 2);
    assertThat(limiter.retryAfter("10.0.0.1")).isEqualTo(Duration.ZERO);
    fail("10.0.0.1", 1);
    assertThat(limiter.retryAfter("10.0.0.1")).isEqualTo(Duration.ofMinutes(1));
    clock.advance(Duration.ofSeconds(45));
    assertThat(limiter.retryAfter("10.0.0.1")).isEqualTo(Duration.ofSeconds(15));
    clock.advance(Duration.ofSeconds(15));
    assertThat(limiter.retryAfter("10.0.0.1")).isEqualTo(Duration.ZERO);
    fail("10.0.0.1", 2);
    assertThat(limiter.retryAfter("10.0.0.1"))
        .as("after the lockout the count starts again")
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void failuresSpreadOverMoreThanAWindow_neverLockOut() {
    fail("10.0.0.1", 2);
    clock.advance(Duration.ofMinutes(1));
    fail("10.0.0.1", 2);
    assertThat(limiter.retryAfter("10.0.0.1")).isEqualTo(Duration.ZERO);
  }

  @Test
  void aSuccess_forgetsTheAddressFailures() {
    fail("10.0.0.1", 2);
    limiter.succeeded("10.0.0.1");
    fail("10.0.0.1", 2);
    assertThat(limiter.retryAfter("10.0.0.1")).isEqualTo(Duration.ZERO);
  }

  @Test
  void addresses_areCountedSeparately() {
    fail("10.0.0.1", 3);
    assertThat(limiter.retryAfter("10.0.0.1")).isPositive();
    assertThat(limiter.retryAfter("10.0.0.2")).isEqualTo(Duration.ZERO);
  }

  @Test
  void trackedAddresses_areCapped_forgettingTheStalestFirst() {
    fail("10.0.0.1", 3);
    fail("10.0.0.2", 1);
    fail("10.0.0.3", 1);
    assertThat(limiter.trackedAddresses()).isEqualTo(2);
    assertThat(limiter.retryAfter("10.0.0.1")).as("evicted").isEqualTo(Duration.ZERO);
    fail("10.0.0.3", 2);
    assertThat(limiter.retryAfter("10.0.0.3")).isPositive();
  }

  @Test
  void nonsenseLimits_areRefused() {
    assertThatThrownBy(() -> new SignInLimiter(clock, 0, Duration.ofMinutes(1), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxFailures");
  }
}
