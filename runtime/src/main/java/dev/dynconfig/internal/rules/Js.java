package dev.dynconfig.internal.rules;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * JavaScript value semantics as json-logic-js applies them (truthiness, loose and strict equality,
 * relational comparison, ToNumber, String()). {@link RuleData#MISSING} plays JavaScript's {@code
 * undefined}. The common cases (numbers, strings, booleans) allocate nothing.
 */
final class Js {
  private Js() {}

  static final Object UNDEFINED = RuleData.MISSING;

  private static final long SAFE_INTEGER = 1L << 53;

  static boolean truthy(Object v) {
    if (v == null || v == UNDEFINED) {
      return false;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    if (v instanceof String) {
      return !((String) v).isEmpty();
    }
    if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      return d != 0 && !Double.isNaN(d);
    }
    if (v instanceof List) {
      return !((List<?>) v).isEmpty(); // json-logic: an empty array is falsy
    }
    return true;
  }

  /** JavaScript {@code ==}. Arrays and objects compare by identity, as in JavaScript. */
  static boolean looseEquals(Object a, Object b) {
    boolean aNull = a == null || a == UNDEFINED;
    boolean bNull = b == null || b == UNDEFINED;
    if (aNull || bNull) {
      return aNull && bNull;
    }
    if (a instanceof Number && b instanceof Number) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    if (a instanceof String && b instanceof String) {
      return a.equals(b);
    }
    if (a instanceof Boolean && b instanceof Boolean) {
      return a.equals(b);
    }
    if (a instanceof Boolean) {
      return looseEquals((Boolean) a ? ONE : ZERO, b);
    }
    if (b instanceof Boolean) {
      return looseEquals(a, (Boolean) b ? ONE : ZERO);
    }
    if (a instanceof Number && b instanceof String) {
      return ((Number) a).doubleValue() == toNumber(b);
    }
    if (a instanceof String && b instanceof Number) {
      return toNumber(a) == ((Number) b).doubleValue();
    }
    boolean aObject = isObject(a);
    boolean bObject = isObject(b);
    if (aObject && bObject) {
      return a == b;
    }
    if (aObject) {
      return looseEquals(toPrimitive(a), b);
    }
    if (bObject) {
      return looseEquals(a, toPrimitive(b));
    }
    return a.equals(b);
  }

  private static final Integer ONE = 1;
  private static final Integer ZERO = 0;

  /** JavaScript {@code ===}. */
  static boolean strictEquals(Object a, Object b) {
    if (a == null || b == null || a == UNDEFINED || b == UNDEFINED) {
      return a == b;
    }
    if (a instanceof Number && b instanceof Number) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    if (a instanceof String && b instanceof String) {
      return a.equals(b);
    }
    if (a instanceof Boolean && b instanceof Boolean) {
      return a.equals(b);
    }
    return a == b;
  }

  static boolean isObject(Object v) {
    return v instanceof List || v instanceof Map;
  }

  /** ToPrimitive with the default hint: arrays join, plain objects become "[object Object]". */
  static Object toPrimitive(Object v) {
    return isObject(v) ? toStr(v) : v;
  }

  /** 1 when {@code a < b}, 0 when not, -1 when undefined (a NaN was involved). */
  static int lessThan(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      double x = ((Number) a).doubleValue();
      double y = ((Number) b).doubleValue();
      if (Double.isNaN(x) || Double.isNaN(y)) {
        return -1;
      }
      return x < y ? 1 : 0;
    }
    Object pa = toPrimitive(a);
    Object pb = toPrimitive(b);
    if (pa instanceof String && pb instanceof String) {
      return ((String) pa).compareTo((String) pb) < 0 ? 1 : 0;
    }
    double x = toNumber(pa);
    double y = toNumber(pb);
    if (Double.isNaN(x) || Double.isNaN(y)) {
      return -1;
    }
    return x < y ? 1 : 0;
  }

  static boolean lt(Object a, Object b) {
    return lessThan(a, b) == 1;
  }

  /** JavaScript {@code a <= b}: not (b < a), and false when undefined. */
  static boolean le(Object a, Object b) {
    return lessThan(b, a) == 0;
  }

  /** JavaScript ToNumber. */
  static double toNumber(Object v) {
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    if (v == null) {
      return 0;
    }
    if (v == UNDEFINED) {
      return Double.NaN;
    }
    if (v instanceof Boolean) {
      return (Boolean) v ? 1 : 0;
    }
    if (v instanceof String) {
      return stringToNumber((String) v);
    }
    if (v instanceof List) {
      return stringToNumber(toStr(v));
    }
    return Double.NaN;
  }

  /** JavaScript's StringToNumber: whole (trimmed) string must be a numeric literal. */
  static double stringToNumber(String s) {
    String t = s.strip();
    if (t.isEmpty()) {
      return 0;
    }
    if (t.length() > 2 && t.charAt(0) == '0') {
      char p = Character.toLowerCase(t.charAt(1));
      int radix = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
      if (radix != 0) {
        try {
          return new java.math.BigInteger(t.substring(2), radix).doubleValue();
        } catch (NumberFormatException e) {
          return Double.NaN;
        }
      }
    }
    switch (t) {
      case "Infinity":
      case "+Infinity":
        return Double.POSITIVE_INFINITY;
      case "-Infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    int end = decimalPrefix(t, 0);
    if (end != t.length()) {
      return Double.NaN;
    }
    return Double.parseDouble(t);
  }

  /**
   * Length of the longest prefix of s (from start) that is a JavaScript StrDecimalLiteral without
   * Infinity, or start when there is none.
   */
  private static int decimalPrefix(String s, int start) {
    int i = start;
    int n = s.length();
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int digits = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      int j = i + 1;
      int frac = 0;
      while (j < n && isDigit(s.charAt(j))) {
        j++;
        frac++;
      }
      if (digits + frac > 0) {
        i = j;
        digits += frac;
      }
    }
    if (digits == 0) {
      return start;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
        j++;
      }
      int exp = 0;
      while (j < n && isDigit(s.charAt(j))) {
        j++;
        exp++;
      }
      if (exp > 0) {
        i = j;
      }
    }
    return i;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** JavaScript parseFloat(String(v)): the longest numeric prefix, NaN when none. */
  static double parseFloat(Object v) {
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    String s = toStr(v).stripLeading();
    if (s.startsWith("Infinity") || s.startsWith("+Infinity")) {
      return Double.POSITIVE_INFINITY;
    }
    if (s.startsWith("-Infinity")) {
      return Double.NEGATIVE_INFINITY;
    }
    int end = decimalPrefix(s, 0);
    if (end == 0) {
      return Double.NaN;
    }
    return Double.parseDouble(s.substring(0, end));
  }

  /** JavaScript ToIntegerOrInfinity. */
  static double toInteger(Object v) {
    double d = toNumber(v);
    if (Double.isNaN(d)) {
      return 0;
    }
    return d < 0 ? Math.ceil(d) : Math.floor(d);
  }

  /** JavaScript String(v). */
  static String toStr(Object v) {
    if (v instanceof String) {
      return (String) v;
    }
    if (v == null) {
      return "null";
    }
    if (v == UNDEFINED) {
      return "undefined";
    }
    if (v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return v.toString();
    }
    if (v instanceof Number) {
      return numberToString(((Number) v).doubleValue());
    }
    if (v instanceof List) {
      StringBuilder sb = new StringBuilder();
      joinInto(sb, (List<?>) v, ",");
      return sb.toString();
    }
    return "[object Object]";
  }

  /** Array.prototype.join: null and undefined elements become empty strings. */
  static void joinInto(StringBuilder sb, List<?> list, String separator) {
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        sb.append(separator);
      }
      Object e = list.get(i);
      if (e != null && e != UNDEFINED) {
        sb.append(toStr(e));
      }
      if (sb.length() > Budget.MAX_STRING_CHARS) {
        // A list of many references to one long string would join to gigabytes.
        Budget.checkString(sb.length(), null);
      }
    }
  }

  /** JavaScript Number::toString for doubles. */
  static String numberToString(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return "0";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e21) {
      return Math.abs(d) < SAFE_INTEGER
          ? Long.toString((long) d)
          : new BigDecimal(Double.toString(d)).toPlainString();
    }
    BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    double abs = Math.abs(d);
    if (abs >= 1e-6 && abs < 1e21) {
      return exact.toPlainString();
    }
    // Exponent form: 1.5e+21, 1e-7.
    String digits = exact.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - exact.scale();
    StringBuilder sb = new StringBuilder();
    if (d < 0) {
      sb.append('-');
    }
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    sb.append('e').append(exponent >= 0 ? "+" : "-").append(Math.abs(exponent));
    return sb.toString();
  }

  /** A JavaScript number as a Java value: integral values as Long, others as Double. */
  static Number number(double d) {
    if (d == Math.rint(d)
        && Math.abs(d) < SAFE_INTEGER
        && !(d == 0 && Double.doubleToRawLongBits(d) != 0)) {
      return Long.valueOf((long) d);
    }
    return Double.valueOf(d);
  }
}
