package dev.dynconfig.server;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down token guessing: a client address that fails {@code maxFailures} times within {@code
 * window} is refused (the caller answers {@code 429} with {@code Retry-After}) until {@code window}
 * has passed since its last counted failure; a success clears the address. At most {@code
 * maxAddresses} addresses are tracked (the oldest is forgotten first), so a flood from many
 * addresses cannot exhaust memory.
 */
final class SignInLimiter {
  private static final Logger log = LoggerFactory.getLogger(SignInLimiter.class);

  private static final class Failures {
    Instant windowStart;
    int count;
    Instant lockedUntil;

    Failures(Instant windowStart) {
      this.windowStart = windowStart;
    }
  }

  private final Clock clock;
  private final int maxFailures;
  private final Duration window;
  private final Map<String, Failures> byAddress;

  SignInLimiter(Clock clock, int maxFailures, Duration window, int maxAddresses) {
    if (maxFailures < 1 || window.isNegative() || window.isZero() || maxAddresses < 1) {
      throw new IllegalArgumentException(
          "SignInLimiter needs maxFailures >= 1, a positive window and maxAddresses >= 1, got "
              + maxFailures
              + ", "
              + window
              + ", "
              + maxAddresses);
    }
    this.clock = clock;
    this.maxFailures = maxFailures;
    this.window = window;
    this.byAddress =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > maxAddresses;
          }
        };
  }

  /** How long {@code address} must still wait, or {@link Duration#ZERO} when it may try now. */
  synchronized Duration retryAfter(String address) {
    Failures f = byAddress.get(address);
    if (f == null || f.lockedUntil == null) {
      return Duration.ZERO;
    }
    Instant now = clock.instant();
    if (!now.isBefore(f.lockedUntil)) {
      byAddress.remove(address);
      return Duration.ZERO;
    }
    return Duration.between(now, f.lockedUntil);
  }

  /** Counts a failed token check from {@code address}; logs once when that locks it out. */
  synchronized void failed(String address, String what) {
    Instant now = clock.instant();
    Failures f = byAddress.get(address);
    if (f == null || !now.isBefore(f.windowStart.plus(window))) {
      f = new Failures(now);
      byAddress.remove(address); // re-inserted last, so eviction forgets the stalest address first
      byAddress.put(address, f);
    }
    f.count++;
    if (f.count >= maxFailures && f.lockedUntil == null) {
      f.lockedUntil = now.plus(window);
      log.warn(
          "{} from {} failed {} times within {}; refusing its attempts with 429 until {}",
          what,
          address,
          f.count,
          window,
          f.lockedUntil);
    }
  }

  /** A correct token from {@code address}: its failures are forgotten. */
  synchronized void succeeded(String address) {
    byAddress.remove(address);
  }

  /**
   * The peer's IP address (the port differs per connection, so it is left out). Forwarding headers
   * are ignored: any client can write them.
   */
  static String addressOf(Channel ch) {
    SocketAddress a = ch.remoteAddress();
    if (a instanceof InetSocketAddress in && in.getAddress() != null) {
      return in.getAddress().getHostAddress();
    }
    return String.valueOf(a);
  }

  synchronized int trackedAddresses() {
    return byAddress.size();
  }
}
