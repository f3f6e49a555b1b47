package dev.dynconfig.openfeature;

import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.Structure;
import dev.openfeature.sdk.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between OpenFeature's {@link Value} and the plain JSON values dynconfig works with
 * (String, Boolean, Integer/Long/Double, Map, List, null).
 */
final class Values {
  private Values() {}

  /**
   * The plain JSON value of an OpenFeature value: structures become unmodifiable maps and lists
   * unmodifiable lists (recursively), instants ISO-8601 strings ({@code 2026-12-03T10:15:30Z}, as
   * they travel in JSON, so rules compare them as strings).
   */
  static Object toPlain(Value value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isStructure()) {
      return toPlain(value.asStructure());
    }
    if (value.isList()) {
      List<Value> in = value.asList();
      List<Object> out = new ArrayList<>(in.size());
      for (Value v : in) {
        out.add(toPlain(v));
      }
      return Collections.unmodifiableList(out);
    }
    if (value.isInstant()) {
      return value.asInstant().toString();
    }
    // Boolean, String or a Number (Integer, Long or Double): already a JSON value.
    return value.asObject();
  }

  /** The plain JSON object of an OpenFeature structure (an unmodifiable map, recursively). */
  static Map<String, Object> toPlain(Structure structure) {
    Map<String, Value> in = structure.asUnmodifiableMap();
    Map<String, Object> out = new LinkedHashMap<>(Math.max(4, in.size() * 2));
    for (Map.Entry<String, Value> e : in.entrySet()) {
      out.put(e.getKey(), toPlain(e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The OpenFeature value of a plain JSON value: maps become structures, lists lists, integral
   * numbers Integer (Long beyond the int range), other numbers Double.
   *
   * @throws IllegalArgumentException for a value that is not JSON (never produced by the engine)
   */
  static Value toValue(Object plain) {
    if (plain == null) {
      return new Value();
    }
    if (plain instanceof Boolean b) {
      return new Value(b);
    }
    if (plain instanceof String s) {
      return new Value(s);
    }
    if (plain instanceof Number n) {
      return numberValue(n);
    }
    if (plain instanceof Map<?, ?> map) {
      Map<String, Value> attributes = new HashMap<>(Math.max(4, map.size() * 2));
      for (Map.Entry<?, ?> e : map.entrySet()) {
        attributes.put(String.valueOf(e.getKey()), toValue(e.getValue()));
      }
      return new Value(new ImmutableStructure(attributes));
    }
    if (plain instanceof List<?> list) {
      List<Value> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(toValue(o));
      }
      return new Value(Collections.unmodifiableList(out));
    }
    throw new IllegalArgumentException(
        "not a JSON value: " + plain.getClass().getName() + " " + plain);
  }

  private static Value numberValue(Number n) {
    Long integral = integral(n);
    if (integral != null) {
      long l = integral;
      return l == (int) l ? new Value((int) l) : new Value(l);
    }
    return new Value(n.doubleValue());
  }

  /** The value as a long when it is a whole number within the long range, else null. */
  static Long integral(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return n.longValue();
    }
    if (n instanceof BigInteger b) {
      return b.bitLength() < 64 ? b.longValue() : null;
    }
    if (n instanceof BigDecimal d) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    double d = n.doubleValue();
    if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) <= (double) (1L << 53)) {
      return (long) d;
    }
    return null;
  }
}
