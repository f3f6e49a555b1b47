package dev.dynconfig.internal.engine;

import dev.dynconfig.AbTest;
import dev.dynconfig.TestVariant;
import dev.dynconfig.internal.rules.Bucketing;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * An A/B test ready to assign: cumulative hash thresholds precomputed so assignment is one hash and
 * a short loop, allocation-free.
 */
final class CompiledTest {
  static final int NOT_RUNNING = -1;
  static final int NOT_STARTED = -2;
  static final int ENDED = -3;
  static final int OTHER_ENVIRONMENT = -4;
  static final int NO_BUCKETING_KEY = -5;
  static final int NOT_ALLOCATED = -6;

  final AbTest definition;
  final Object definitionTree;
  final TestVariant[] variants;

  /** Exclusive upper bound of hashes assigned to variants[0..i]. */
  private final long[] cumulativeThresholds;

  /** Bucketing v1: the running float shares instead; null under v2. */
  private final float[] legacyThresholds;

  /** Bucketing v3: hash the CBOR array [id, bucketingKey] instead of id + bucketingKey. */
  private final boolean cborHash;

  /** The hash state after the test id: each assignment hashes only the bucketing key. */
  private final Bucketing.Prefix idPrefix;

  private final boolean running;
  private final long startMillis;
  private final long endMillis;
  private final String[] environments;
  final LongAdder[] assignments;
  final LongAdder unassigned;

  /**
   * @param bucketingVersion {@code Bucketing.V1}, {@code V2} or {@code V3}
   */
  CompiledTest(AbTest t, Object tree, TestCounters counters, int bucketingVersion) {
    this.definition = t;
    this.definitionTree = tree;
    this.variants = t.variants().toArray(new TestVariant[0]);
    List<Double> shares = new java.util.ArrayList<>();
    for (TestVariant v : variants) {
      shares.add(t.allocation().getOrDefault(v.id(), 0.0));
    }
    // Exact running sums (33.3 + 33.3 + 33.4 is 100), shared with the rules' bucketing.
    this.cumulativeThresholds = Bucketing.allocationThresholds(shares);
    this.legacyThresholds =
        bucketingVersion == Bucketing.V1 ? Bucketing.legacyAllocationThresholds(shares) : null;
    this.cborHash = bucketingVersion == Bucketing.V3;
    this.idPrefix = Bucketing.prefix(t.id());
    this.running = "running".equals(t.status());
    this.startMillis = EpochMillis.of(t.startDate(), Long.MIN_VALUE);
    this.endMillis = EpochMillis.of(t.endDate(), Long.MAX_VALUE);
    this.environments = t.environments() == null ? null : t.environments().toArray(new String[0]);
    this.assignments = new LongAdder[variants.length];
    for (int i = 0; i < variants.length; i++) {
      assignments[i] = counters.forVariant(variants[i].id());
    }
    this.unassigned = counters.unassigned;
  }

  /**
   * The index of the variant assigned to {@code bucketingKey}, or one of the negative reason codes.
   *
   * @param clock read only when the test has a window
   */
  int assign(String bucketingKey, String environment, java.time.Clock clock) {
    if (!running) {
      return NOT_RUNNING;
    }
    if (startMillis != Long.MIN_VALUE || endMillis != Long.MAX_VALUE) {
      long now = clock.millis();
      if (now < startMillis) {
        return NOT_STARTED;
      }
      if (now >= endMillis) {
        return ENDED;
      }
    }
    if (environments != null && !contains(environments, environment)) {
      return OTHER_ENVIRONMENT;
    }
    if (bucketingKey == null) {
      return NO_BUCKETING_KEY;
    }
    long h =
        cborHash
            ? Bucketing.hashCborPair(definition.id(), bucketingKey)
            : Bucketing.hash(idPrefix, bucketingKey);
    int i =
        legacyThresholds == null
            ? Bucketing.assign(h, cumulativeThresholds)
            : Bucketing.assignLegacy(h, legacyThresholds);
    return i >= 0 ? i : NOT_ALLOCATED;
  }

  static String explain(int code) {
    switch (code) {
      case NOT_RUNNING:
        return "test is not running";
      case NOT_STARTED:
        return "test has not started yet";
      case ENDED:
        return "test has ended";
      case OTHER_ENVIRONMENT:
        return "test does not run in this environment";
      case NO_BUCKETING_KEY:
        return "no user or session id to bucket by";
      case NOT_ALLOCATED:
        return "user is outside the test's allocation";
      default:
        return "assigned";
    }
  }

  private static boolean contains(String[] values, String value) {
    for (String v : values) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** Assignment counts of one test id, surviving reloads. */
  static final class TestCounters {
    final java.util.concurrent.ConcurrentHashMap<String, LongAdder> byVariant =
        new java.util.concurrent.ConcurrentHashMap<>();
    final LongAdder unassigned = new LongAdder();

    LongAdder forVariant(String id) {
      return byVariant.computeIfAbsent(id, k -> new LongAdder());
    }

    java.util.Map<String, Long> snapshot(List<TestVariant> current) {
      java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
      for (TestVariant v : current) {
        LongAdder a = byVariant.get(v.id());
        out.put(v.id(), a == null ? 0L : a.sum());
      }
      return out;
    }
  }
}
