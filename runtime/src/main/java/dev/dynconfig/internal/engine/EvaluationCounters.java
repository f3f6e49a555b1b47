package dev.dynconfig.internal.engine;

import dev.dynconfig.internal.engine.EngineIntrospection.FlagCounts;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The evaluation counters of every flag and test key ever compiled, kept across snapshots so a
 * reload does not reset what JMX shows. Compiled flags and tests write to theirs directly.
 */
final class EvaluationCounters {
  private final ConcurrentHashMap<String, FlagCounters> flags = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompiledTest.TestCounters> tests =
      new ConcurrentHashMap<>();

  /** The counters a flag compiled under {@code key} records into. */
  FlagCounters flag(String key) {
    return flags.computeIfAbsent(key, k -> new FlagCounters());
  }

  /** The counters a test compiled under {@code id} records into. */
  CompiledTest.TestCounters test(String id) {
    return tests.computeIfAbsent(id, k -> new CompiledTest.TestCounters());
  }

  FlagCounts flagCounts(String flagKey) {
    FlagCounters c = flagKey == null ? null : flags.get(flagKey);
    return c == null ? new FlagCounts(0, 0, 0) : c.snapshot();
  }

  /**
   * Assignments per variant of the test {@code t} compiled as {@code testId} (document order);
   * empty when {@code t} is null or never counted.
   */
  Map<String, Long> assignmentCounts(String testId, CompiledTest t) {
    CompiledTest.TestCounters c = testId == null ? null : tests.get(testId);
    if (t == null || c == null) {
      return Map.of();
    }
    return Collections.unmodifiableMap(c.snapshot(t.definition.variants()));
  }

  long unassignedCount(String testId) {
    CompiledTest.TestCounters c = testId == null ? null : tests.get(testId);
    return c == null ? 0 : c.unassigned.sum();
  }
}
