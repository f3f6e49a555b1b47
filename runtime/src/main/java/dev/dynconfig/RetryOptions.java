package dev.dynconfig;

import java.time.Duration;

/**
 * Reconnect/retry policy: exponential backoff with full jitter between {@code baseDelay} and {@code
 * maxDelay}; after {@code maxAttempts} consecutive failures the state reports {@code error} and
 * retries continue at {@code maxDelay}.
 */
public record RetryOptions(int maxAttempts, Duration baseDelay, Duration maxDelay) {
  /** The seed's defaults: 3 attempts, 1 s base, 30 s max. */
  public static final RetryOptions DEFAULT =
      new RetryOptions(3, Duration.ofSeconds(1), Duration.ofSeconds(30));

  public RetryOptions {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("retry.maxAttempts must be >= 1, got " + maxAttempts);
    }
    if (baseDelay == null || baseDelay.isNegative()) {
      throw new IllegalArgumentException("retry.baseDelay must be >= 0, got " + baseDelay);
    }
    if (maxDelay == null || maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException(
          "retry.maxDelay must be >= retry.baseDelay (" + baseDelay + "), got " + maxDelay);
    }
  }
}
