package dev.dynconfig.internal.engine;

import dev.dynconfig.ConfigChangeEvent;
import dev.dynconfig.ConfigListener;
import dev.dynconfig.Subscription;
import dev.dynconfig.internal.engine.EngineIntrospection.SnapshotInfo;
import dev.dynconfig.internal.engine.EngineIntrospection.SnapshotListener;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is told about changes: {@link ConfigListener}s by namespace and key, and {@link
 * SnapshotListener}s after every swap. Internal: public only so the facade in another package can
 * reach it. A listener that throws, even an {@code Error}, is logged with its class and skipped.
 */
public final class ChangeListeners {
  private static final Logger LOG = LoggerFactory.getLogger("dev.dynconfig");

  private final CopyOnWriteArrayList<ConfigSubscription> configListeners =
      new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<SnapshotListener> snapshotListeners =
      new CopyOnWriteArrayList<>();

  /**
   * Subscribes to changes of {@code namespace}/{@code key}; null (or {@code *}) for either matches
   * everything.
   */
  public Subscription subscribeToConfig(String namespace, String key, ConfigListener listener) {
    Objects.requireNonNull(listener, "listener");
    ConfigSubscription sub = new ConfigSubscription(wildcard(namespace), wildcard(key), listener);
    configListeners.add(sub);
    return () -> configListeners.remove(sub);
  }

  Subscription subscribeToSnapshots(SnapshotListener listener) {
    Objects.requireNonNull(listener, "listener");
    snapshotListeners.add(listener);
    return () -> snapshotListeners.remove(listener);
  }

  private static String wildcard(String s) {
    return s == null || s.equals("*") ? null : s;
  }

  private record ConfigSubscription(String namespace, String key, ConfigListener listener) {
    boolean matches(ConfigChangeEvent e) {
      return (namespace == null || namespace.equals(e.namespace()))
          && (key == null || key.equals(e.key()));
    }
  }

  /** Tells each config listener the events it subscribed to, in order. */
  void publish(List<ConfigChangeEvent> events) {
    for (ConfigChangeEvent e : events) {
      for (ConfigSubscription s : configListeners) {
        if (s.matches(e)) {
          try {
            s.listener().onChange(e);
          } catch (RuntimeException | Error ex) {
            // Errors too (an OutOfMemoryError or StackOverflowError in someone's listener): thrown
            // on, they would skip the remaining listeners (the agent's among them) and kill the
            // source's thread, so no later document would ever be applied.
            LOG.warn(
                "A config listener ({}) for {}/{} threw; other listeners still run",
                s.listener().getClass().getName(),
                e.namespace(),
                e.key(),
                ex);
          }
        }
      }
    }
  }

  /** Tells the snapshot listeners that {@code next} is served now. */
  void swapped(Snapshot next) {
    if (snapshotListeners.isEmpty()) {
      return;
    }
    SnapshotInfo info =
        new SnapshotInfo(next.version, sorted(next.flags.keySet()), sorted(next.tests.keySet()));
    for (SnapshotListener l : snapshotListeners) {
      try {
        l.onSwap(info);
      } catch (RuntimeException | Error e) {
        LOG.warn("A snapshot listener ({}) threw; ignoring it", l.getClass().getName(), e);
      }
    }
  }

  static Set<String> sorted(Set<String> s) {
    return Collections.unmodifiableSet(new TreeSet<>(s));
  }
}
