package dev.dynconfig.internal.rules;

/**
 * flagd's string and version operators: {@code starts_with}, {@code ends_with} and {@code sem_ver}.
 */
final class FlagdNodes {
  private FlagdNodes() {}

  /** flagd's starts_with / ends_with: two strings, else the rule aborts (flagd: null). */
  static final class Affix extends Node {
    final Node[] args;
    final boolean prefix;

    Affix(Node[] args, boolean prefix) {
      this.args = args;
      this.prefix = prefix;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      if (args.length != 2) {
        throw Abort.INSTANCE;
      }
      Object s = args[0].eval(scope, root, budget);
      Object affix = args[1].eval(scope, root, budget);
      if (!(s instanceof String) || !(affix instanceof String)) {
        throw Abort.INSTANCE;
      }
      return prefix
          ? ((String) s).startsWith((String) affix)
          : ((String) s).endsWith((String) affix);
    }
  }

  /**
   * flagd's sem_ver: [version, operator, version]; a version is a string or a number (2 reads as
   * "2", 1.2 as "1.2"); bad input aborts the rule (flagd: null).
   */
  static final class SemVerNode extends Node {
    final Node[] args;
    final SemVer constantTarget; // pre-parsed when args[2] is a constant valid version

    SemVerNode(Node[] args) {
      this.args = args;
      SemVer t = null;
      if (args.length == 3 && args[2].isConstant()) {
        String v = versionText(args[2].eval(null, null, null));
        if (v != null) {
          t = SemVer.parse(v);
        }
      }
      this.constantTarget = t;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      if (args.length != 3) {
        throw Abort.INSTANCE;
      }
      String a = versionText(args[0].eval(scope, root, budget));
      Object op = args[1].eval(scope, root, budget);
      if (a == null || !(op instanceof String)) {
        throw Abort.INSTANCE;
      }
      SemVer left = SemVer.parse(a);
      SemVer right = constantTarget;
      if (right == null) {
        String b = versionText(args[2].eval(scope, root, budget));
        right = b == null ? null : SemVer.parse(b);
      }
      if (left == null || right == null) {
        throw Abort.INSTANCE;
      }
      Boolean r = SemVer.apply(left, (String) op, right);
      if (r == null) {
        throw Abort.INSTANCE;
      }
      return r;
    }

    /** A version operand as text: strings as they are, numbers as written (2, 1.2); else null. */
    static String versionText(Object v) {
      if (v instanceof String) {
        return (String) v;
      }
      if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
        return v.toString();
      }
      if (v instanceof Double || v instanceof Float) {
        double d = ((Number) v).doubleValue();
        if (!Double.isFinite(d)) {
          return null;
        }
        // Whole numbers read as integers (2.0 is "2", as JSON and JavaScript print it).
        return d == Math.rint(d) && Math.abs(d) < 1e15
            ? Long.toString((long) d)
            : java.math.BigDecimal.valueOf(d).toPlainString();
      }
      if (v instanceof java.math.BigDecimal) {
        return ((java.math.BigDecimal) v).stripTrailingZeros().toPlainString();
      }
      return null;
    }
  }
}
