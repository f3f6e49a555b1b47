package dev.dynconfig.rules;

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
   * whenEqual, otherwise]}} with literal branches. For an attribute value that is a String, or
   * absent, or null, the rule evaluates to {@link #whenEqual} iff the value equals {@link
   * #literal}, else to {@link #otherwise}; for any other value type JsonLogic's equality needs the
   * rule itself.
   *
   * @param attribute a one-segment {@code var} name (no dots), as the rule reads it from {@link
   *     RuleData#get}
   * @param whenEqual the rule's value (null, Boolean, String, Number, List or Map) when it matches
   * @param otherwise the rule's value otherwise
   */
  public record AttributeTest(
      String attribute, String literal, Object whenEqual, Object otherwise) {

    /** JsonLogic's truthiness of the rule's value (what {@link Rule#test} answers). */
    public boolean truthy(boolean equal) {
      return Js.truthy(equal ? whenEqual : otherwise);
    }
  }

  /**
   * {@code fractional} between exactly two variants with constant weights, bucketed by the flag key
   * and the targeting key: by default, or with {@code {"cat": [{"var": "$flagd.flagKey"} or "a
   * string", {"var": "targetingKey"}]}}, or with {@code {"var": "targetingKey"}}. For a string
   * targeting key the rule evaluates to {@code first} or {@code second} as {@link #split} says, and
   * to null for {@link Split#NEITHER}.
   *
   * @param first the first variant (null, Boolean, String or Number)
   * @param second the second variant (null, Boolean, String or Number)
   */
  public record TwoWayFractional(Object first, Object second, Split split) {}

  /** The attribute test {@code rule} is, or null when it is something else. */
  public static AttributeTest attributeTest(Rule rule) {
    Node root = rule instanceof CompiledRule c ? c.root() : null;
    if (root instanceof Nodes.Equality eq) {
      return test(eq, !eq.negate, eq.negate);
    }
    if (root instanceof Nodes.If in
        && (in.args.length == 2 || in.args.length == 3)
        && in.args[0] instanceof Nodes.Equality eq
        && in.args[1] instanceof Nodes.Literal then
        && (in.args.length == 2 || in.args[2] instanceof Nodes.Literal)) {
      Object otherwise = in.args.length == 3 ? ((Nodes.Literal) in.args[2]).value : null;
      Object match = Nodes.orNull(then.value);
      otherwise = Nodes.orNull(otherwise);
      return eq.negate ? test(eq, otherwise, match) : test(eq, match, otherwise);
    }
    return null;
  }

  private static AttributeTest test(Nodes.Equality eq, Object whenEqual, Object otherwise) {
    String name = attributeName(eq.a);
    Node literal = eq.b;
    if (name == null) {
      name = attributeName(eq.b);
      literal = eq.a;
    }
    if (name == null || !(literal instanceof Nodes.Literal l) || !(l.value instanceof String s)) {
      return null;
    }
    return new AttributeTest(name, s, whenEqual, otherwise);
  }

  /** The name of a {@code {"var": "name"}} without dots or fallback; else null. */
  private static String attributeName(Node node) {
    return node instanceof Nodes.Var v
            && v.fallback == null
            && v.path != null
            && v.path.length == 1
            && !v.path[0].isEmpty()
        ? v.path[0]
        : null;
  }

  /**
   * The two-way fractional {@code rule} is, with its users split as evaluating it for flag {@code
   * flagKey} under {@code bucketingVersion} splits them; null when it is something else.
   */
  public static TwoWayFractional twoWayFractional(Rule rule, String flagKey, int bucketingVersion) {
    Node root = rule instanceof CompiledRule c ? c.root() : null;
    if (!(root instanceof Nodes.Fractional f)
        || f.malformed
        || f.cumulative == null
        || f.cumulative.length != 2
        || f.total <= 0
        || !(f.variants[0] instanceof Nodes.Literal first)
        || !(f.variants[1] instanceof Nodes.Literal second)) {
      return null;
    }
    String fixed;
    boolean pair = false;
    if (f.bucketBy == null) {
      fixed = flagKey;
      pair = true;
    } else if (isPath(f.bucketBy, "targetingKey")) {
      fixed = "";
    } else if (f.bucketBy instanceof Nodes.Cat cat
        && cat.args.length == 2
        && isPath(cat.args[1], "targetingKey")) {
      if (isPath(cat.args[0], "$flagd", "flagKey")) {
        fixed = flagKey;
      } else if (cat.args[0] instanceof Nodes.Literal l && l.value instanceof String s) {
        fixed = s;
      } else {
        return null;
      }
    } else {
      return null;
    }
    Split split =
        Split.fractional(
            fixed, pair, f.cumulative[0], f.total, f.legacyCumulative, bucketingVersion);
    return new TwoWayFractional(variant(first.value), variant(second.value), split);
  }

  /** What {@code fractional} yields for a literal variant: a scalar, or null (flagd's abort). */
  private static Object variant(Object v) {
    return v instanceof String || v instanceof Boolean || v instanceof Number ? v : null;
  }

  private static boolean isPath(Node node, String... path) {
    return node instanceof Nodes.Var v
        && v.fallback == null
        && v.path != null
        && java.util.Arrays.equals(v.path, path);
  }
}
