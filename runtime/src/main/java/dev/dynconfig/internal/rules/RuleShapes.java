package dev.dynconfig.internal.rules;

/**
 * Recognises compiled rules whose value the engine can compute from the bucketing key or from one
 * custom attribute alone, without walking the rule tree or binding the context: one attribute
 * compared with a string literal, and {@code fractional} between two variants. What each recognised
 * rule yields is stated exactly as evaluating it would, so the engine's shortcut answers as the
 * rule does.
 */
public final class RuleShapes {
  private RuleShapes() {}

  /**
   * A rule {@code {"==": [{"var": attribute}, literal]}} ({@code ===}, {@code !=}, {@code !==}
   * alike, operands in either order), alone or as the condition of {@code {"if": [condition,
   * whenEqual, otherwise]}} with literal branches: the rule evaluates to {@link #whenEqual} iff the
   * attribute's value equals {@link #literal} as JsonLogic compares them, else to {@link
   * #otherwise}. For a String, absent or null value that is {@code literal.equals(value)}; for a
   * number or boolean under loose equality ({@code ==}), the number ({@code true} is 1, {@code
   * false} 0) equals {@link #literalAsNumber}; under strict equality ({@code ===}) no other type
   * equals a string. A list or map compares as its string form (which the rule computes).
   *
   * @param attribute a one-segment {@code var} name (no dots), as the rule reads it from {@link
   *     RuleData#get}
   * @param strict {@code ===} / {@code !==}
   * @param literalAsNumber JavaScript's {@code Number(literal)} (NaN when it is not a number)
   * @param whenEqual the rule's value (null, Boolean, String, Number, List or Map) when it matches
   * @param otherwise the rule's value otherwise
   */
  public record AttributeTest(
      String attribute,
      String literal,
      boolean strict,
      double literalAsNumber,
      Object whenEqual,
      Object otherwise) {

    /** JsonLogic's truthiness of the rule's value (what {@link Rule#test} answers). */
    public boolean truthy(boolean equal) {
      return Js.truthy(equal ? whenEqual : otherwise);
    }
  }

  /**
   * {@code fractional} between exactly two variants with constant weights, bucketed by a fixed
   * string and the targeting key: by default (the flag key; {@code pair}), or with {@code {"cat":
   * [{"var": "$flagd.flagKey"} or "a string", {"var": "targetingKey"}]}}, or with {@code {"var":
   * "targetingKey"}} (the empty string). For a string targeting key {@code t} and its hash {@code
   * h} (MurmurHash3 of {@code fixed + t}; under bucketing version 3 of the CBOR array {@code
   * [fixed, t]} when {@code pair}, else of the CBOR text {@code fixed + t}) the rule evaluates to
   * {@code first} iff {@code (h × totalWeight) >>> 32 < firstWeight}, else to {@code second}; under
   * version 1 to {@code first} iff {@code legacyBucket(h) < legacyFirst}, else to {@code second}
   * iff it is below {@code legacyEnd}, else to null.
   *
   * @param first the first variant (null, Boolean, String or Number)
   * @param second the second variant (null, Boolean, String or Number)
   */
  public record TwoWayFractional(
      Object first,
      Object second,
      String fixed,
      boolean pair,
      long firstWeight,
      long totalWeight,
      float legacyFirst,
      float legacyEnd) {}

  /** The attribute test {@code rule} is, or null when it is something else. */
  public static AttributeTest attributeTest(Rule rule) {
    Node root = rule instanceof CompiledRule c ? c.root() : null;
    if (root instanceof LogicNodes.Equality eq) {
      return test(eq, !eq.negate, eq.negate);
    }
    if (root instanceof LogicNodes.If in
        && (in.args.length == 2 || in.args.length == 3)
        && in.args[0] instanceof LogicNodes.Equality eq
        && in.args[1] instanceof ValueNodes.Literal then
        && (in.args.length == 2 || in.args[2] instanceof ValueNodes.Literal)) {
      Object otherwise = in.args.length == 3 ? ((ValueNodes.Literal) in.args[2]).value : null;
      Object match = Node.orNull(then.value);
      otherwise = Node.orNull(otherwise);
      return eq.negate ? test(eq, otherwise, match) : test(eq, match, otherwise);
    }
    return null;
  }

  private static AttributeTest test(LogicNodes.Equality eq, Object whenEqual, Object otherwise) {
    String name = attributeName(eq.a);
    Node literal = eq.b;
    if (name == null) {
      name = attributeName(eq.b);
      literal = eq.a;
    }
    if (name == null
        || !(literal instanceof ValueNodes.Literal l)
        || !(l.value instanceof String s)) {
      return null;
    }
    return new AttributeTest(name, s, eq.strict, Js.toNumber(s), whenEqual, otherwise);
  }

  /** The name of a {@code {"var": "name"}} without dots or fallback; else null. */
  private static String attributeName(Node node) {
    return node instanceof DataNodes.Var v
            && v.fallback == null
            && v.path != null
            && v.path.length == 1
            && !v.path[0].isEmpty()
        ? v.path[0]
        : null;
  }

  /**
   * The two-way fractional {@code rule} is, for flag {@code flagKey}; null when it is something
   * else.
   */
  public static TwoWayFractional twoWayFractional(Rule rule, String flagKey) {
    Node root = rule instanceof CompiledRule c ? c.root() : null;
    if (!(root instanceof Fractional f)
        || f.malformed
        || f.cumulative == null
        || f.cumulative.length != 2
        || f.total <= 0
        || !(f.variants[0] instanceof ValueNodes.Literal first)
        || !(f.variants[1] instanceof ValueNodes.Literal second)) {
      return null;
    }
    String fixed;
    boolean pair = false;
    if (f.bucketBy == null) {
      fixed = flagKey;
      pair = true;
    } else if (isPath(f.bucketBy, "targetingKey")) {
      fixed = "";
    } else if (f.bucketBy instanceof StringNodes.Cat cat
        && cat.args.length == 2
        && isPath(cat.args[1], "targetingKey")) {
      if (isPath(cat.args[0], "$flagd", "flagKey")) {
        fixed = flagKey;
      } else if (cat.args[0] instanceof ValueNodes.Literal l && l.value instanceof String s) {
        fixed = s;
      } else {
        return null;
      }
    } else {
      return null;
    }
    return new TwoWayFractional(
        variant(first.value),
        variant(second.value),
        fixed,
        pair,
        f.cumulative[0],
        f.total,
        f.legacyCumulative[0],
        f.legacyCumulative[1]);
  }

  /** What {@code fractional} yields for a literal variant: a scalar, or null (flagd's abort). */
  private static Object variant(Object v) {
    return v instanceof String || v instanceof Boolean || v instanceof Number ? v : null;
  }

  private static boolean isPath(Node node, String... path) {
    return node instanceof DataNodes.Var v
        && v.fallback == null
        && v.path != null
        && java.util.Arrays.equals(v.path, path);
  }
}
