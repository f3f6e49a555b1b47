package dev.dynconfig.internal.engine;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.DynamicConfigState;
import dev.dynconfig.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link DynamicConfigState} (initialized, syncing, connection, last error, version)
 * and its listeners, plus whether a first document has arrived. Internal: public only so the facade
 * in another package can reach it. Thread-safe; listeners run on the thread that made the change.
 */
public final class EngineState {
  private static final Logger LOG = LoggerFactory.getLogger("dev.dynconfig");

  private final Clock clock;
  private final AtomicReference<DynamicConfigState> state =
      new AtomicReference<>(
          new DynamicConfigState(false, false, null, ConnectionStatus.DISCONNECTED, null, -1));
  private final CopyOnWriteArrayList<Consumer<DynamicConfigState>> listeners =
      new CopyOnWriteArrayList<>();
  private final CountDownLatch firstDocument = new CountDownLatch(1);

  public EngineState(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public DynamicConfigState get() {
    return state.get();
  }

  public Subscription subscribe(Consumer<DynamicConfigState> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Replaces the state atomically and tells the listeners when it changed. */
  void update(UnaryOperator<DynamicConfigState> change) {
    DynamicConfigState before;
    DynamicConfigState after;
    do {
      before = state.get();
      after = change.apply(before);
    } while (!state.compareAndSet(before, after));
    // Checking for listeners first is not only quicker: the record's equals() is bootstrapped
    // through invokedynamic (~50 generated classes) on first use, on the start-up path.
    if (!listeners.isEmpty() && !after.equals(before)) {
      for (Consumer<DynamicConfigState> l : listeners) {
        try {
          l.accept(after);
        } catch (RuntimeException | Error e) {
          LOG.warn("A state listener ({}) threw; ignoring it", l.getClass().getName(), e);
        }
      }
    }
  }

  /** The source reports its connection; a null {@code error} keeps the last one. */
  void status(ConnectionStatus status, String error) {
    update(
        s ->
            new DynamicConfigState(
                s.initialized(),
                status == ConnectionStatus.CONNECTING,
                s.lastSyncedAt(),
                status,
                error != null ? error : s.lastError(),
                s.version()));
  }

  /** {@code version} is served now (applied, or confirmed unchanged): synced, no error. */
  void synced(long version) {
    update(
        s ->
            new DynamicConfigState(
                s.initialized(), false, clock.instant(), s.connectionStatus(), null, version));
  }

  /** A document was rejected; the last good version keeps serving. */
  void rejected(String message) {
    update(
        s ->
            new DynamicConfigState(
                s.initialized(),
                false,
                s.lastSyncedAt(),
                s.connectionStatus(),
                message,
                s.version()));
  }

  /** {@code initialize()} is done; without a source the engine is disconnected for good. */
  void initialized(boolean hasSource) {
    update(
        s ->
            new DynamicConfigState(
                true,
                s.syncing(),
                s.lastSyncedAt(),
                hasSource ? s.connectionStatus() : ConnectionStatus.DISCONNECTED,
                s.lastError(),
                s.version()));
  }

  /** The engine was shut down: no longer initialized, disconnected. */
  void shutDown() {
    update(
        s ->
            new DynamicConfigState(
                false,
                false,
                s.lastSyncedAt(),
                ConnectionStatus.DISCONNECTED,
                s.lastError(),
                s.version()));
  }

  /** A document has been applied (the first one releases {@link #awaitFirstDocument}). */
  void documentApplied() {
    firstDocument.countDown();
  }

  /** Whether a document has been applied since the engine started. */
  public boolean hasDocument() {
    return firstDocument.getCount() == 0;
  }

  /** Waits up to {@code timeout} for the first document; false when none arrived in time. */
  boolean awaitFirstDocument(Duration timeout) throws InterruptedException {
    return firstDocument.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
