package dev.dynconfig.engine;

import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.rules.Split;

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
 * attribute that is not a String (JsonLogic's loose equality), and, where the format says more than
 * a precomputed result can, a missing bucketing key.
 */
final class FastShape {
  final int shape;

  /** {@link CompiledFlag#ATTRIBUTE_EQUALS}: the attribute's name (interned), else null. */
  final String attributeName;

  private final String literal;
  private final FlagEvaluation whenEqual; // null: on to the split
  private final FlagEvaluation otherwise; // null: on to the split

  private final Split split;
  private final FlagEvaluation first;
  private final FlagEvaluation second;
  private final FlagEvaluation neither;
  private final FlagEvaluation noBucketingKey;

  /** What is left when neither the attribute nor a split decided. */
  private final FlagEvaluation fallthrough;

  private FastShape(
      int shape,
      String attributeName,
      String literal,
      FlagEvaluation whenEqual,
      FlagEvaluation otherwise,
      Split split,
      FlagEvaluation first,
      FlagEvaluation second,
      FlagEvaluation neither,
      FlagEvaluation noBucketingKey,
      FlagEvaluation fallthrough) {
    this.shape = shape;
    // Interned: the context's attribute name is usually a literal, so it matches by identity.
    this.attributeName = attributeName == null ? null : attributeName.intern();
    this.literal = literal;
    this.whenEqual = whenEqual;
    this.otherwise = otherwise;
    this.split = split;
    this.first = first;
    this.second = second;
    this.neither = neither;
    this.noBucketingKey = noBucketingKey;
    this.fallthrough = fallthrough;
  }

  /** {@link CompiledFlag#STATIC}: always {@code result}. */
  static FastShape constant(FlagEvaluation result) {
    return new FastShape(
        CompiledFlag.STATIC, null, null, null, null, null, null, null, null, null, result);
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
      FlagEvaluation noBucketingKey) {
    return new FastShape(
        CompiledFlag.ROLLOUT,
        null,
        null,
        null,
        null,
        split,
        first,
        second,
        neither,
        noBucketingKey,
        null);
  }

  /**
   * {@link CompiledFlag#ATTRIBUTE_EQUALS}: {@code whenEqual} when the attribute is a String equal
   * to {@code literal}, {@code otherwise} when it is another String, absent or null; where either
   * is null, {@code then} decides instead (a native flag's rollout and default; null when both are
   * set).
   */
  static FastShape attribute(
      String name,
      String literal,
      FlagEvaluation whenEqual,
      FlagEvaluation otherwise,
      FastShape then) {
    FastShape next = then != null ? then : constant(null);
    return new FastShape(
        CompiledFlag.ATTRIBUTE_EQUALS,
        name,
        literal,
        whenEqual,
        otherwise,
        next.split,
        next.first,
        next.second,
        next.neither,
        next.noBucketingKey,
        next.fallthrough);
  }

  /**
   * The result for this bucketing key and value of {@link #attributeName} (null when absent), or
   * null when the flag's full evaluation must decide. Allocates nothing.
   */
  FlagEvaluation evaluate(String bucketingKey, Object attribute) {
    if (literal != null) {
      FlagEvaluation byAttribute;
      if (attribute instanceof String) {
        byAttribute = literal.equals(attribute) ? whenEqual : otherwise;
      } else if (attribute == null) {
        byAttribute = otherwise;
      } else {
        return null; // JsonLogic's loose equality with a number, boolean, list or map
      }
      if (byAttribute != null) {
        return byAttribute;
      }
    }
    Split s = split;
    if (s == null) {
      return fallthrough;
    }
    if (bucketingKey == null) {
      return noBucketingKey;
    }
    int side = s.side(bucketingKey);
    return side == Split.FIRST ? first : side == Split.SECOND ? second : neither;
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
