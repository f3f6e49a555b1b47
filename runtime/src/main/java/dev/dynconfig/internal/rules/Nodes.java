package dev.dynconfig.internal.rules;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The compiled JsonLogic operators (json-logic-js semantics) and flagd's operators. */
final class Nodes {
  private Nodes() {}

  private static final Logger LOG = LoggerFactory.getLogger("dev.dynconfig.rules.log");
  static final Object U = Js.UNDEFINED;

  static Object arg(Node[] args, int i, Object scope, RuleData root, Budget budget) {
    return i < args.length ? args[i].eval(scope, root, budget) : U;
  }

  static Object orNull(Object v) {
    return v == U ? null : v;
  }

  /** A value known at compile time (literal or folded). */
  static final class Literal extends Node {
    final Object value;

    Literal(Object value) {
      this.value = value;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      return value;
    }

    @Override
    boolean isConstant() {
      return true;
    }
  }

  /** An array whose elements are expressions: evaluates to a new list. */
  static final class ArrayNode extends Node {
    final Node[] items;

    ArrayNode(Node[] items) {
      this.items = items;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      List<Object> out = new ArrayList<>(items.length);
      for (Node item : items) {
        out.add(orNull(item.eval(scope, root, budget)));
      }
      return out;
    }
  }

  // ---------------------------------------------------------------- data access

  /** Child {@code key} of a JsonLogic value, or undefined. */
  static Object child(Object container, String key) {
    if (container instanceof RuleData) {
      return ((RuleData) container).get(key);
    }
    if (container instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) container;
      Object v = m.get(key);
      return v != null || m.containsKey(key) ? v : U;
    }
    if (container instanceof List) {
      List<?> l = (List<?>) container;
      int i = index(key);
      if (i >= 0) {
        return i < l.size() ? l.get(i) : U;
      }
      return "length".equals(key) ? (Object) l.size() : U;
    }
    if (container instanceof String) {
      String s = (String) container;
      int i = index(key);
      if (i >= 0) {
        return i < s.length() ? String.valueOf(s.charAt(i)) : U;
      }
      return "length".equals(key) ? (Object) s.length() : U;
    }
    return U;
  }

  /** A canonical array index ("0", "12"; not "01" or "-1"), or -1. */
  private static int index(String key) {
    int n = key.length();
    if (n == 0 || n > 9 || (n > 1 && key.charAt(0) == '0')) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** The whole scope as a JsonLogic value. */
  static Object whole(Object scope) {
    return scope instanceof RuleData ? ((RuleData) scope).asJson() : scope;
  }

  /** Follows a pre-split path; undefined when a step is missing or the value is null midway. */
  static Object resolve(Object scope, String[] path) {
    if (path.length == 0) {
      return whole(scope);
    }
    Object cur = scope;
    for (String seg : path) {
      if (cur == null || cur == U) {
        return U;
      }
      cur = child(cur, seg);
    }
    return cur;
  }

  static String[] splitPath(Object key) {
    if (key == null || key == U || "".equals(key)) {
      return new String[0];
    }
    return Js.toStr(key).split("\\.", -1);
  }

  /** {@code {"var": [path, default]}}. */
  static final class Var extends Node {
    final String[] path; // null when the path is computed at run time
    final Node pathNode;
    final Node fallback; // null: not found → null

    Var(String[] path, Node pathNode, Node fallback) {
      this.path = path;
      this.pathNode = pathNode;
      this.fallback = fallback;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      String[] p = path != null ? path : splitPath(pathNode.eval(scope, root, budget));
      Object v = resolve(scope, p);
      if (v == U) {
        return fallback == null ? null : orNull(fallback.eval(scope, root, budget));
      }
      return v;
    }
  }

  /** {@code {"missing": [keys…]}} or {@code {"missing": [[keys…]]}}. */
  static final class Missing extends Node {
    final Node[] args;

    Missing(Node[] args) {
      this.args = args;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      if (args.length == 0) {
        return new ArrayList<>();
      }
      List<Object> keys;
      Object first = args[0].eval(scope, root, budget);
      if (first instanceof List) {
        keys = castList(first);
      } else {
        keys = new ArrayList<>(args.length);
        keys.add(orNull(first));
        for (int i = 1; i < args.length; i++) {
          keys.add(orNull(args[i].eval(scope, root, budget)));
        }
      }
      return missing(scope, keys);
    }
  }

  static List<Object> missing(Object scope, List<?> keys) {
    List<Object> out = new ArrayList<>();
    for (Object key : keys) {
      Object v = resolve(scope, splitPath(key));
      if (v == U || v == null || "".equals(v)) {
        out.add(key);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<Object> castList(Object v) {
    return (List<Object>) v;
  }

  /** {@code {"missing_some": [need, [keys…]]}}. */
  static final class MissingSome extends Node {
    final Node need;
    final Node options;

    MissingSome(Node need, Node options) {
      this.need = need;
      this.options = options;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object opts = options.eval(scope, root, budget);
      List<?> keys = opts instanceof List ? (List<?>) opts : Collections.emptyList();
      List<Object> absent = missing(scope, keys);
      double needCount = Js.toNumber(need.eval(scope, root, budget));
      return keys.size() - absent.size() >= needCount ? new ArrayList<>() : absent;
    }
  }

  // ---------------------------------------------------------------- logic

  static final class If extends Node {
    final Node[] args;

    If(Node[] args) {
      this.args = args;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      int i = 0;
      for (; i < args.length - 1; i += 2) {
        if (Js.truthy(args[i].eval(scope, root, budget))) {
          return args[i + 1].eval(scope, root, budget);
        }
      }
      return i == args.length - 1 ? args[i].eval(scope, root, budget) : null;
    }
  }

  static final class And extends Node {
    final Node[] args;
    final boolean isOr;

    And(Node[] args, boolean isOr) {
      this.args = args;
      this.isOr = isOr;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object current = U;
      for (Node a : args) {
        current = a.eval(scope, root, budget);
        if (Js.truthy(current) == isOr) {
          return current;
        }
      }
      return current;
    }
  }

  static final class Not extends Node {
    final Node arg;
    final boolean doubled;

    Not(Node arg, boolean doubled) {
      this.arg = arg;
      this.doubled = doubled;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      return Js.truthy(arg.eval(scope, root, budget)) == doubled;
    }
  }

  /** ==, ===, != and !==. */
  static final class Equality extends Node {
    final Node a;
    final Node b;
    final boolean strict;
    final boolean negate;

    Equality(Node a, Node b, boolean strict, boolean negate) {
      this.a = a;
      this.b = b;
      this.strict = strict;
      this.negate = negate;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object x = a.eval(scope, root, budget);
      Object y = b.eval(scope, root, budget);
      boolean eq = strict ? Js.strictEquals(x, y) : Js.looseEquals(x, y);
      return eq != negate;
    }
  }

  /** <, <=, > and >= (with the between form for < and <=). */
  static final class Compare extends Node {
    final Node a;
    final Node b;
    final Node c; // null unless between
    final boolean orEqual;
    final boolean greater;

    Compare(Node a, Node b, Node c, boolean orEqual, boolean greater) {
      this.a = a;
      this.b = b;
      this.c = c;
      this.orEqual = orEqual;
      this.greater = greater;
    }

    private boolean cmp(Object x, Object y) {
      if (greater) {
        return orEqual ? Js.le(y, x) : Js.lt(y, x);
      }
      return orEqual ? Js.le(x, y) : Js.lt(x, y);
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object x = a.eval(scope, root, budget);
      Object y = b.eval(scope, root, budget);
      if (c == null) {
        return cmp(x, y);
      }
      Object z = c.eval(scope, root, budget);
      return cmp(x, y) && cmp(y, z);
    }
  }

  // ---------------------------------------------------------------- numbers

  static final class MinMax extends Node {
    final Node[] args;
    final boolean max;

    MinMax(Node[] args, boolean max) {
      this.args = args;
      this.max = max;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      double r = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      for (Node a : args) {
        double d = Js.toNumber(a.eval(scope, root, budget));
        r = max ? Math.max(r, d) : Math.min(r, d); // Math.max/min propagate NaN like JavaScript
      }
      return Js.number(r);
    }
  }

  static final class Plus extends Node {
    final Node[] args;

    Plus(Node[] args) {
      this.args = args;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      double sum = 0;
      for (Node a : args) {
        sum += Js.parseFloat(a.eval(scope, root, budget));
      }
      return Js.number(sum);
    }
  }

  static final class Times extends Node {
    final Node[] args;

    Times(Node[] args) {
      this.args = args;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      if (args.length == 0) {
        throw Abort.INSTANCE; // reduce of an empty array with no initial value: a TypeError in JS
      }
      Object first = args[0].eval(scope, root, budget);
      if (args.length == 1) {
        return first;
      }
      double product = Js.parseFloat(first);
      for (int i = 1; i < args.length; i++) {
        product *= Js.parseFloat(args[i].eval(scope, root, budget));
      }
      return Js.number(product);
    }
  }

  /** Binary -, / and % (and unary minus). */
  static final class Arith extends Node {
    final Node[] args;
    final char op;

    Arith(Node[] args, char op) {
      this.args = args;
      this.op = op;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object x = arg(args, 0, scope, root, budget);
      Object y = arg(args, 1, scope, root, budget);
      double a = Js.toNumber(x);
      if (op == '-' && y == U) {
        return Js.number(-a);
      }
      double b = Js.toNumber(y);
      switch (op) {
        case '-':
          return Js.number(a - b);
        case '/':
          return Js.number(a / b);
        default:
          return Js.number(a % b);
      }
    }
  }

  // ---------------------------------------------------------------- arrays

  /** map, filter, all, none and some. */
  static final class Loop extends Node {
    enum Kind {
      MAP,
      FILTER,
      ALL,
      NONE,
      SOME
    }

    final Node data;
    final Node logic;
    final Kind kind;

    Loop(Node data, Node logic, Kind kind) {
      this.data = data;
      this.logic = logic;
      this.kind = kind;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object d = data.eval(scope, root, budget);
      List<?> items = d instanceof List ? (List<?>) d : Collections.emptyList();
      switch (kind) {
        case MAP:
          {
            Budget.checkArray(items.size(), budget);
            List<Object> out = new ArrayList<>(items.size());
            for (Object item : items) {
              budget.spend(logic.size);
              out.add(orNull(logic.eval(item, root, budget)));
            }
            return out;
          }
        case FILTER:
          {
            Budget.checkArray(items.size(), budget);
            List<Object> out = new ArrayList<>();
            for (Object item : items) {
              budget.spend(logic.size);
              if (Js.truthy(logic.eval(item, root, budget))) {
                out.add(item);
              }
            }
            return out;
          }
        case ALL:
          if (items.isEmpty()) {
            return false;
          }
          for (Object item : items) {
            budget.spend(logic.size);
            if (!Js.truthy(logic.eval(item, root, budget))) {
              return false;
            }
          }
          return true;
        default:
          for (Object item : items) {
            budget.spend(logic.size);
            if (Js.truthy(logic.eval(item, root, budget))) {
              return kind == Kind.SOME;
            }
          }
          return kind == Kind.NONE;
      }
    }
  }

  static final class Reduce extends Node {
    final Node data;
    final Node logic;
    final Node initial; // null → null

    Reduce(Node data, Node logic, Node initial) {
      this.data = data;
      this.logic = logic;
      this.initial = initial;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object d = data.eval(scope, root, budget);
      Object acc = initial == null ? null : orNull(initial.eval(scope, root, budget));
      if (!(d instanceof List)) {
        return acc;
      }
      for (Object item : (List<?>) d) {
        budget.spend(logic.size);
        acc = orNull(logic.eval(new ReduceScope(item, acc), root, budget));
      }
      return acc;
    }
  }

  /** The {current, accumulator} object reduce's logic reads. */
  static final class ReduceScope extends AbstractMap<String, Object> {
    private final Object current;
    private final Object accumulator;

    ReduceScope(Object current, Object accumulator) {
      this.current = current;
      this.accumulator = accumulator;
    }

    @Override
    public Object get(Object key) {
      return "current".equals(key) ? current : "accumulator".equals(key) ? accumulator : null;
    }

    @Override
    public boolean containsKey(Object key) {
      return "current".equals(key) || "accumulator".equals(key);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("current", current);
      m.put("accumulator", accumulator);
      return m.entrySet();
    }
  }

  static final class Merge extends Node {
    final Node[] args;

    Merge(Node[] args) {
      this.args = args;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object[] values = new Object[args.length];
      long size = 0;
      for (int i = 0; i < args.length; i++) {
        values[i] = args[i].eval(scope, root, budget);
        size += values[i] instanceof List<?> l ? l.size() : 1;
      }
      Budget.checkArray(size, budget); // before building: merge can double an array per step
      List<Object> out = new ArrayList<>((int) size);
      for (Object v : values) {
        if (v instanceof List) {
          out.addAll((List<?>) v);
        } else {
          out.add(orNull(v));
        }
      }
      return out;
    }
  }

  static final class In extends Node {
    final Node needle;
    final Node haystack;

    In(Node needle, Node haystack) {
      this.needle = needle;
      this.haystack = haystack;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object a = needle.eval(scope, root, budget);
      Object b = haystack.eval(scope, root, budget);
      if (b instanceof String) {
        return ((String) b).contains(Js.toStr(a));
      }
      if (b instanceof List) {
        List<?> l = (List<?>) b;
        for (int i = 0, n = l.size(); i < n; i++) {
          if (Js.strictEquals(a, l.get(i))) {
            return true;
          }
        }
      }
      return false;
    }
  }

  // ---------------------------------------------------------------- strings

  static final class Cat extends Node {
    final Node[] args;

    Cat(Node[] args) {
      this.args = args;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object[] values = new Object[args.length];
      long length = 0;
      for (int i = 0; i < args.length; i++) {
        values[i] = args[i].eval(scope, root, budget);
        length += values[i] instanceof String str ? str.length() : 0;
      }
      // Before building: cat can double a string per step. Arrays are joined with a bound.
      Budget.checkString(length, budget);
      StringBuilder sb = new StringBuilder();
      for (Object v : values) {
        appendJoined(sb, v);
        if (sb.length() > Budget.MAX_STRING_CHARS) {
          Budget.checkString(sb.length(), null);
        }
      }
      return sb.toString();
    }
  }

  /** Array.prototype.join's view of one element: null and undefined are empty. */
  static void appendJoined(StringBuilder sb, Object v) {
    if (v != null && v != U) {
      sb.append(Js.toStr(v));
    }
  }

  static final class Substr extends Node {
    final Node[] args;

    Substr(Node[] args) {
      this.args = args;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      String s = Js.toStr(arg(args, 0, scope, root, budget));
      Object start = arg(args, 1, scope, root, budget);
      Object end = arg(args, 2, scope, root, budget);
      if (end != U && Js.lt(end, 0)) {
        String temp = substr(s, start, U);
        return substr(temp, 0, temp.length() + Js.toInteger(end));
      }
      return substr(s, start, end);
    }

    /** JavaScript String.prototype.substr(start, length). */
    static String substr(String s, Object startValue, Object lengthValue) {
      int size = s.length();
      double start = Js.toInteger(startValue);
      if (start < 0) {
        start = Math.max(size + start, 0);
      }
      start = Math.min(start, size);
      double length = lengthValue == U ? size - start : Js.toInteger(lengthValue);
      length = Math.min(Math.max(length, 0), size - start);
      if (length <= 0) {
        return "";
      }
      return s.substring((int) start, (int) (start + length));
    }
  }

  static final class Log extends Node {
    final Node arg;

    Log(Node arg) {
      this.arg = arg;
    }

    @Override
    Object eval(Object scope, RuleData root, Budget budget) {
      Object v = arg.eval(scope, root, budget);
      LOG.info("{}", orNull(v));
      return v;
    }
  }

  // ---------------------------------------------------------------- flagd

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

  /**
   * flagd's fractional (v2): {@code bucket = (h × totalWeight) >>> 32} over integer weights
   * (default 1, negative ones count as 0), where h hashes the first argument when it evaluates to a
   * string, else flagKey + targetingKey. Returns the chosen variant; bad input and a total weight
   * of 0 abort the rule (flagd: null). With {@link RuleData#bucketingVersion()} 1 the same hash is
   * bucketed as the flagd Java in-process provider's legacy algorithm did ({@link
   * Bucketing#legacyBucket} against running float shares).
   */
  static final class Fractional extends Node {
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
        if (bucketBy instanceof Cat && ((Cat) bucketBy).args.length <= 2) {
          // flagd's recommended {"cat": [{"var": "$flagd.flagKey"}, {"var": "email"}]}: hash the
          // two parts as one stream instead of building the concatenation.
          Node[] parts = ((Cat) bucketBy).args;
          Object a = parts.length > 0 ? parts[0].eval(scope, root, budget) : "";
          Object b = parts.length > 1 ? parts[1].eval(scope, root, budget) : "";
          if (a instanceof String && b instanceof String) {
            return Bucketing.hash((String) a, (String) b);
          }
          StringBuilder sb = new StringBuilder();
          appendJoined(sb, a);
          appendJoined(sb, b);
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
        if (bucketBy instanceof Cat && ((Cat) bucketBy).args.length <= 2) {
          Node[] parts = ((Cat) bucketBy).args;
          Object a = parts.length > 0 ? parts[0].eval(scope, root, budget) : "";
          Object b = parts.length > 1 ? parts[1].eval(scope, root, budget) : "";
          if (a instanceof String && b instanceof String) {
            return CborHash.hashConcatenation((String) a, (String) b);
          }
          StringBuilder sb = new StringBuilder();
          appendJoined(sb, a);
          appendJoined(sb, b);
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
}
