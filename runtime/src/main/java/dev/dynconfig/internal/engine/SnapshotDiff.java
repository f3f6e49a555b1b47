package dev.dynconfig.internal.engine;

import dev.dynconfig.ConfigChangeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The change events between two snapshots: one per flag (namespace {@link
 * ConfigChangeEvent#FEATURES}), test ({@link #TESTS}) and runtime-config key whose definition or
 * value differs, sorted by key within each kind.
 */
final class SnapshotDiff {
  /** The namespace under which A/B test definition changes are published. */
  static final String TESTS = "tests";

  private SnapshotDiff() {}

  static List<ConfigChangeEvent> events(Snapshot old, Snapshot next, String source) {
    List<ConfigChangeEvent> events = new ArrayList<>();
    Set<String> keys = new TreeSet<>(old.flags.keySet());
    keys.addAll(next.flags.keySet());
    for (String k : keys) {
      CompiledFlag a = old.flags.get(k);
      CompiledFlag b = next.flags.get(k);
      Object da = a == null ? null : a.definition;
      Object db = b == null ? null : b.definition;
      if (!Objects.equals(da, db)) {
        events.add(new ConfigChangeEvent(ConfigChangeEvent.FEATURES, k, da, db, source));
      }
    }
    Set<String> ids = new TreeSet<>(old.tests.keySet());
    ids.addAll(next.tests.keySet());
    for (String id : ids) {
      CompiledTest a = old.tests.get(id);
      CompiledTest b = next.tests.get(id);
      Object da = a == null ? null : a.definition;
      Object db = b == null ? null : b.definition;
      if (!Objects.equals(da, db)) {
        events.add(new ConfigChangeEvent(TESTS, id, da, db, source));
      }
    }
    Set<String> namespaces = new TreeSet<>(old.config.keySet());
    namespaces.addAll(next.config.keySet());
    for (String ns : namespaces) {
      Map<String, Object> a = old.config.getOrDefault(ns, Map.of());
      Map<String, Object> b = next.config.getOrDefault(ns, Map.of());
      Set<String> ks = new TreeSet<>(a.keySet());
      ks.addAll(b.keySet());
      for (String k : ks) {
        if (!Objects.equals(a.get(k), b.get(k))) {
          events.add(new ConfigChangeEvent(ns, k, a.get(k), b.get(k), source));
        }
      }
    }
    return events;
  }
}
