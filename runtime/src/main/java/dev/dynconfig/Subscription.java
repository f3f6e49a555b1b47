package dev.dynconfig;

/** Returned by the {@code subscribe…} methods; closing it unsubscribes. Idempotent. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  void unsubscribe();

  @Override
  default void close() {
    unsubscribe();
  }
}
