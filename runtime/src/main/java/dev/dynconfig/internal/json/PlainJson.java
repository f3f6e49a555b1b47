package dev.dynconfig.internal.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Writes plain JSON values (JDK maps with string keys, lists, strings, integers, finite decimals,
 * booleans, null) as compact JSON text, character for character as the databind mapper writes them,
 * without loading databind. Anything else (records, beans, non-finite numbers, other key types,
 * very deep nesting) is left to the mapper: {@link #write} then returns null.
 *
 * <p>Why it exists: error messages and JSON paths are written while a document is validated, which
 * happens before the application's {@code main} when the agent reads its flag file, and an {@code
 * ObjectMapper} costs ~300 classes to build.
 */
final class PlainJson {
  /**
   * Deeper values go to the mapper, which applies its own nesting limit; plain documents are never
   * deeper than {@link Json#MAX_DEPTH}.
   */
  private static final int MAX_DEPTH = 2 * Json.MAX_DEPTH;

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PlainJson() {}

  /** The JSON text of {@code value}, or null when it is not a plain value (ask the mapper). */
  static String write(Object value) {
    if (!isPlain(value, 0)) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    append(out, value);
    return out.toString();
  }

  private static boolean isPlain(Object value, int depth) {
    if (value == null || isScalar(value)) {
      return value == null || isFinite(value);
    }
    if (depth >= MAX_DEPTH || !isJdkCollection(value)) {
      return false;
    }
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String) || !isPlain(e.getValue(), depth + 1)) {
          return false;
        }
      }
      return true;
    }
    if (value instanceof List<?> l) {
      for (Object o : l) {
        if (!isPlain(o, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean isScalar(Object value) {
    Class<?> c = value.getClass();
    return c == String.class
        || c == Boolean.class
        || c == Long.class
        || c == Integer.class
        || c == Short.class
        || c == Byte.class
        || c == Double.class
        || c == Float.class
        || c == BigDecimal.class
        || c == BigInteger.class;
  }

  /** The mapper writes NaN and infinities as strings; leave them to it. */
  private static boolean isFinite(Object value) {
    if (value instanceof Double d) {
      return Double.isFinite(d);
    }
    if (value instanceof Float f) {
      return Float.isFinite(f);
    }
    return true;
  }

  /** Only the JDK's own maps and lists: an application's class could carry Jackson annotations. */
  private static boolean isJdkCollection(Object value) {
    return (value instanceof Map || value instanceof List)
        && value.getClass().getName().startsWith("java.util.");
  }

  private static void append(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      appendString(out, s);
    } else if (value instanceof Map<?, ?> m) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        appendString(out, (String) e.getKey());
        out.append(':');
        append(out, e.getValue());
      }
      out.append('}');
    } else if (value instanceof List<?> l) {
      out.append('[');
      boolean first = true;
      for (Object o : l) {
        if (!first) {
          out.append(',');
        }
        first = false;
        append(out, o);
      }
      out.append(']');
    } else {
      // Boolean and numbers: the mapper writes their toString() (Double.toString for decimals,
      // BigDecimal.toString, i.e. possibly with an exponent).
      out.append(value);
    }
  }

  /** A JSON string as the mapper escapes it: quote, backslash and control characters only. */
  private static void appendString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
