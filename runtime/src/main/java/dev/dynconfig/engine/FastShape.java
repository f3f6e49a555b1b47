package dev.dynconfig.engine;

import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.internal.rules.Bucketing;
import dev.dynconfig.internal.rules.RuleShapes;

/**
 * A flag the engine evaluates inline (see {@link Engine#evaluate}) from two plain values, the
 * bucketing key and one custom attribute, never from the context, so a context built per request
 * does not escape. Native and flagd flags compile into the same shapes, with every result built in
 * advance:
 *
 * <ul>
 *   <li>{@link CompiledFlag#STATIC}: one result;
 *   <li>{@link CompiledFlag#ROLLOUT}: users split in two by their bucketing key (a native rollout,
 *       a flagd {@code fractional} between two variants);
 *   <li>{@link CompiledFlag#ATTRIBUTE_EQUALS}: one custom attribute compared with a string literal
 *       (a native or flagd {@code ==}, alone or inside {@code if}), then, for native flags, the
 *       rollout.
 * </ul>
 *
 * <p>A null result from {@link #evaluate} sends the call to the flag's full evaluation: an
 * attribute that is a list, a map or another object (JsonLogic compares its string form), and,
 * where the format says more than a precomputed result can, a missing bucketing key.
 */
final class FastShape {
  final int shape;

  /** {@link CompiledFlag#STATIC}: the one result, which the engine returns inline; else null. */
  final FlagEvaluation constant;

  /** {@link CompiledFlag#ATTRIBUTE_EQUALS}: the attribute's name (interned), else null. */
  final String attributeName;

  private final RuleShapes.AttributeTest test;
  private final FlagEvaluation whenEqual; // null: on to the split
  private final FlagEvaluation otherwise; // null: on to the split

  private final Split split;
  private final FlagEvaluation first;
  private final FlagEvaluation second;
  private final FlagEvaluation neither;
  private final FlagEvaluation noBucketingKey;

  /** What is left when neither the attribute nor a split decided. */
  private final FlagEvaluation fallthrough;

  private final FlagCounters counters;

  private FastShape(
      int shape,
      RuleShapes.AttributeTest test,
      FlagEvaluation whenEqual,
      FlagEvaluation otherwise,
      Split split,
      FlagEvaluation first,
      FlagEvaluation second,
      FlagEvaluation neither,
      FlagEvaluation noBucketingKey,
      FlagEvaluation fallthrough,
      FlagCounters counters) {
    this.shape = shape;
    this.constant = shape == CompiledFlag.STATIC ? fallthrough : null;
    // Interned: the context's attribute name is usually a literal, so it matches by identity.
    this.attributeName = test == null ? null : test.attribute().intern();
    this.test = test;
    this.whenEqual = whenEqual;
    this.otherwise = otherwise;
    this.split = split;
    this.first = first;
    this.second = second;
    this.neither = neither;
    this.noBucketingKey = noBucketingKey;
    this.fallthrough = fallthrough;
    this.counters = counters;
  }

  /** {@link CompiledFlag#STATIC}: always {@code result}. */
  static FastShape constant(FlagEvaluation result, FlagCounters counters) {
    return new FastShape(
        CompiledFlag.STATIC, null, null, null, null, null, null, null, null, result, counters);
  }

  /**
   * {@link CompiledFlag#ROLLOUT}: {@code first} or {@code second} as the split puts the bucketing
   * key, {@code neither} for {@link Split#NEITHER}, {@code noBucketingKey} without one (null: the
   * full evaluation decides).
   */
  static FastShape split(
      Split split,
      FlagEvaluation first,
      FlagEvaluation second,
      FlagEvaluation neither,
      FlagEvaluation noBucketingKey,
      FlagCounters counters) {
    return new FastShape(
        CompiledFlag.ROLLOUT,
        null,
        null,
        null,
        split,
        first,
        second,
        neither,
        noBucketingKey,
        null,
        counters);
  }

  /**
   * {@link CompiledFlag#ATTRIBUTE_EQUALS}: {@code whenEqual} when the attribute equals the test's
   * literal, {@code otherwise} when it does not; where either is null, {@code then} decides instead
   * (a native flag's rollout and default; null when both are set).
   */
  static FastShape attribute(
      RuleShapes.AttributeTest test,
      FlagEvaluation whenEqual,
      FlagEvaluation otherwise,
      FastShape then,
      FlagCounters counters) {
    FastShape next = then != null ? then : constant(null, counters);
    return new FastShape(
        CompiledFlag.ATTRIBUTE_EQUALS,
        test,
        whenEqual,
        otherwise,
        next.split,
        next.first,
        next.second,
        next.neither,
        next.noBucketingKey,
        next.fallthrough,
        counters);
  }

  /**
   * The result for this bucketing key and value of {@link #attributeName} (null when absent),
   * counted; or null, uncounted, when the flag's full evaluation must decide (an attribute that is
   * a list, a map or another object, which JsonLogic compares by its string form; where the format
   * says more than a precomputed result can). Allocates nothing and never throws.
   *
   * <p>Called, not inlined, by {@link Engine#evaluate} on purpose: everything here works on plain
   * values, so the context does not need this code inlined to stay unallocated, while inlined it
   * would take {@code Engine.evaluate} past the size (C2's {@code InlineSmallCode}) above which
   * that method stops being inlined into its callers, which is what keeps a per-request context
   * unallocated. This method's bytecode is above C2's {@code FreqInlineSize} (325 bytes), so it is
   * never inlined, whatever the profile.
   */
  FlagEvaluation evaluate(String bucketingKey, Object attribute) {
    try {
      FlagEvaluation result = null;
      RuleShapes.AttributeTest t = test;
      if (t != null) {
        boolean equal;
        if (attribute instanceof String) {
          equal = t.literal().equals(attribute);
        } else if (attribute == null || t.strict()) {
          equal = false; // null, absent, or === between a string and another type
        } else if (attribute instanceof Number) {
          equal = ((Number) attribute).doubleValue() == t.literalAsNumber();
        } else if (attribute instanceof Boolean) {
          equal = ((Boolean) attribute ? 1.0 : 0.0) == t.literalAsNumber();
        } else {
          return null; // a list, map or other object: compared by its string form
        }
        result = equal ? whenEqual : otherwise;
      }
      if (result == null) {
        Split s = split;
        if (s == null) {
          result = fallthrough;
        } else if (bucketingKey == null) {
          result = noBucketingKey;
        } else {
          // Split.side, written out here so that this method stays one call (see above).
          long h =
              s.hashKind == Split.MURMUR
                  ? Bucketing.hash(s.prefix, bucketingKey)
                  : s.hashKind == Split.CBOR_PAIR
                      ? Bucketing.hashCborPair(s.prefix.key(), bucketingKey)
                      : Bucketing.hashCborText(s.prefix.key(), bucketingKey);
          float legacyFirst = s.legacyFirst;
          if (Float.isNaN(legacyFirst)) {
            result = h < s.threshold ? first : second;
          } else {
            float bucket = Bucketing.legacyBucket(h);
            result = bucket < legacyFirst ? first : bucket < s.legacyEnd ? second : neither;
          }
        }
      }
      if (result != null) {
        Object value = result.value();
        counters.record(value);
      }
      return result;
    } catch (RuntimeException e) {
      return null; // the full evaluation runs, and reports the failure if it fails again
    }
  }

  /**
   * Whether a {@code var} of this name reads a custom attribute: {@link ContextData#get} answers
   * the built-in names from the context's own fields (and {@code $flagd} from the flag).
   */
  static boolean isCustomAttribute(String name) {
    switch (name) {
      case "targetingKey":
      case "userId":
      case "sessionId":
      case "environment":
      case "userRole":
      case "$flagd":
        return false;
      default:
        return true;
    }
  }
}
