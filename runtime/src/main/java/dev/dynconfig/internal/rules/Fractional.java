package dev.dynconfig.internal.rules;

import java.util.List;

/**
 * flagd's fractional (v2): {@code bucket = (h × totalWeight) >>> 32} over integer weights (default
 * 1, negative ones count as 0), where h hashes the first argument when it evaluates to a string,
 * else flagKey + targetingKey. Returns the chosen variant; bad input and a total weight of 0 abort
 * the rule (flagd: null). With {@link RuleData#bucketingVersion()} 1 the same hash is bucketed as
 * the flagd Java in-process provider's legacy algorithm did ({@link Bucketing#legacyBucket} against
 * running float shares).
 */
final class Fractional extends Node {
  static final long MAX_TOTAL = Integer.MAX_VALUE;

  final Node bucketBy; // null: flagKey + targetingKey
  final Node[] variants; // per distribution; null entries mark malformed distributions
  final Node[] weights; // null entry: weight 1
  final boolean malformed;
  final long[] cumulative; // precomputed when every weight is constant and valid
  final float[] legacyCumulative; // the same, as version 1's running float shares
  final long total;

  Fractional(Node bucketBy, Node[] variants, Node[] weights, boolean malformed) {
    this.bucketBy = bucketBy;
    this.variants = variants;
    this.weights = weights;
    boolean bad = malformed || variants.length == 0;
    long[] cum = null;
    long sum = 0;
    if (!bad && allConstant(weights)) {
      cum = new long[weights.length];
      for (int i = 0; i < weights.length; i++) {
        long w = weights[i] == null ? 1 : weight(weights[i].eval(null, null, null));
        if (w < 0) {
          bad = true;
          break;
        }
        sum += w;
        cum[i] = sum;
      }
      if (sum > MAX_TOTAL) {
        bad = true;
      }
    }
    this.malformed = bad;
    this.cumulative = bad ? null : cum;
    this.total = sum;
    float[] legacy = null;
    if (cumulative != null) {
      legacy = new float[weights.length];
      float share = 0;
      for (int i = 0; i < weights.length; i++) {
        share += Bucketing.legacyPercentage(cum[i] - (i == 0 ? 0 : cum[i - 1]), sum);
        legacy[i] = share;
      }
    }
    this.legacyCumulative = legacy;
  }

  private static boolean allConstant(Node[] nodes) {
    for (Node n : nodes) {
      if (n != null && !n.isConstant()) {
        return false;
      }
    }
    return true;
  }

  /**
   * An integer weight in 0..2^31-1, null meaning 1 and a negative number 0 (flagd clamps it); -1
   * when invalid.
   */
  static long weight(Object v) {
    if (v == null || v == U) {
      return 1;
    }
    if (!(v instanceof Number)) {
      return -1;
    }
    double d = ((Number) v).doubleValue();
    if (d < 0) {
      return 0;
    }
    if (d != Math.rint(d) || d > MAX_TOTAL) {
      return -1;
    }
    return (long) d;
  }

  @Override
  Object eval(Object scope, RuleData root, Budget budget) {
    if (malformed) {
      throw Abort.INSTANCE;
    }
    long h = hash(scope, root, budget);
    boolean legacy = root.bucketingVersion() == Bucketing.V1;
    if (cumulative != null) {
      if (total == 0) {
        throw Abort.INSTANCE; // flagd: no weight at all yields null (the default variant)
      }
      if (legacy) {
        float bucket = Bucketing.legacyBucket(h);
        for (int i = 0; i < legacyCumulative.length; i++) {
          if (bucket < legacyCumulative[i]) {
            return variant(i, scope, root, budget);
          }
        }
        throw Abort.INSTANCE; // the Java provider found no bucket either (bucket 100)
      }
      long bucket = (h * total) >>> 32;
      for (int i = 0; i < cumulative.length; i++) {
        if (bucket < cumulative[i]) {
          return variant(i, scope, root, budget);
        }
      }
      throw Abort.INSTANCE; // unreachable: bucket < total
    }
    // Weights computed from data: sum them, then walk again (weights are pure expressions).
    long sum = 0;
    for (Node w : weights) {
      long v = w == null ? 1 : weight(w.eval(scope, root, budget));
      if (v < 0) {
        throw Abort.INSTANCE;
      }
      sum += v;
    }
    if (sum > MAX_TOTAL) {
      throw Abort.INSTANCE;
    }
    if (sum == 0) {
      throw Abort.INSTANCE;
    }
    if (legacy) {
      float bucket = Bucketing.legacyBucket(h);
      float share = 0;
      for (int i = 0; i < weights.length; i++) {
        share +=
            Bucketing.legacyPercentage(
                weights[i] == null ? 1 : weight(weights[i].eval(scope, root, budget)), sum);
        if (bucket < share) {
          return variant(i, scope, root, budget);
        }
      }
      throw Abort.INSTANCE;
    }
    long bucket = (h * sum) >>> 32;
    long end = 0;
    for (int i = 0; i < weights.length; i++) {
      end += weights[i] == null ? 1 : weight(weights[i].eval(scope, root, budget));
      if (bucket < end) {
        return variant(i, scope, root, budget);
      }
    }
    throw Abort.INSTANCE;
  }

  private Object variant(int i, Object scope, RuleData root, Budget budget) {
    Object v = orNull(variants[i].eval(scope, root, budget));
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) {
      return v;
    }
    throw Abort.INSTANCE;
  }

  private long hash(Object scope, RuleData root, Budget budget) {
    if (root.bucketingVersion() == Bucketing.V3) {
      return cborHash(scope, root, budget);
    }
    if (bucketBy != null) {
      if (bucketBy instanceof StringNodes.Cat && ((StringNodes.Cat) bucketBy).args.length <= 2) {
        // flagd's recommended {"cat": [{"var": "$flagd.flagKey"}, {"var": "email"}]}: hash the
        // two parts as one stream instead of building the concatenation.
        Node[] parts = ((StringNodes.Cat) bucketBy).args;
        Object a = parts.length > 0 ? parts[0].eval(scope, root, budget) : "";
        Object b = parts.length > 1 ? parts[1].eval(scope, root, budget) : "";
        if (a instanceof String && b instanceof String) {
          return Bucketing.hash((String) a, (String) b);
        }
        StringBuilder sb = new StringBuilder();
        StringNodes.appendJoined(sb, a);
        StringNodes.appendJoined(sb, b);
        return Bucketing.hash(sb.toString(), "");
      }
      Object v = bucketBy.eval(scope, root, budget);
      if (v instanceof String) {
        return Bucketing.hash((String) v, "");
      }
      if (v != null && v != U) {
        throw Abort.INSTANCE;
      }
    }
    String targetingKey = root.targetingKey();
    if (targetingKey == null) {
      Object t = root.get("targetingKey");
      if (!(t instanceof String)) {
        throw Abort.INSTANCE; // flagd: no bucketing value and no targetingKey
      }
      targetingKey = (String) t;
    }
    String flagKey = root.flagKey();
    return Bucketing.hash(flagKey == null ? "" : flagKey, targetingKey);
  }

  /**
   * Bucketing v3: the bucketing value, whatever its JSON type, as deterministic CBOR; a null one
   * yields null, an array falls back to the CBOR array [flagKey, targetingKey], which needs a
   * string targeting key.
   */
  private long cborHash(Object scope, RuleData root, Budget budget) {
    if (bucketBy != null) {
      Object v;
      if (bucketBy instanceof StringNodes.Cat && ((StringNodes.Cat) bucketBy).args.length <= 2) {
        Node[] parts = ((StringNodes.Cat) bucketBy).args;
        Object a = parts.length > 0 ? parts[0].eval(scope, root, budget) : "";
        Object b = parts.length > 1 ? parts[1].eval(scope, root, budget) : "";
        if (a instanceof String && b instanceof String) {
          return CborHash.hashConcatenation((String) a, (String) b);
        }
        StringBuilder sb = new StringBuilder();
        StringNodes.appendJoined(sb, a);
        StringNodes.appendJoined(sb, b);
        v = sb.toString();
      } else {
        v = bucketBy.eval(scope, root, budget);
      }
      if (v == null || v == U) {
        throw Abort.INSTANCE;
      }
      if (!(v instanceof List)) {
        long h = CborHash.hash(v);
        if (h < 0) {
          throw Abort.INSTANCE;
        }
        return h;
      }
    }
    String targetingKey = root.targetingKey();
    if (targetingKey == null) {
      Object t = root.get("targetingKey");
      if (!(t instanceof String)) {
        throw Abort.INSTANCE;
      }
      targetingKey = (String) t;
    }
    String flagKey = root.flagKey();
    return CborHash.hashPair(flagKey == null ? "" : flagKey, targetingKey);
  }
}
