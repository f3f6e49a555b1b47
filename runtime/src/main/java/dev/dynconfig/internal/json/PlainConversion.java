package dev.dynconfig.internal.json;

import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts a plain JSON value ({@link Json}'s reading result) to the common Java types without
 * Jackson: strings, booleans, numbers and their primitives, enums, {@link Duration}s (ISO-8601,
 * {@code "PT5S"}), and lists, sets, maps with string keys and arrays of these, honouring generic
 * types such as {@code List<Long>}. Everything else ({@link #UNSUPPORTED}) is left to Jackson, as
 * are the lenient coercions Jackson applies (a number to a string, {@code 2.5} to an int), so the
 * result is always the one Jackson's {@code convertValue} gives, including the container classes
 * ({@link ArrayList}, {@link HashSet}, {@link LinkedHashMap}); only durations, which our mapper
 * cannot convert, are this class's own.
 *
 * <p>Why: databind loads ~500 classes on its first conversion, which sat on an application's
 * start-up path at the first {@code @ConfigValue} of a list or enum (BENCHMARKS.md section 4).
 */
public final class PlainConversion {
  /** Returned when the conversion needs Jackson. */
  public static final Object UNSUPPORTED = new Object();

  /** Thrown inside to give up on the whole value; no stack trace, allocated once. */
  private static final RuntimeException NEEDS_MAPPER =
      new RuntimeException("needs the mapper", null, false, false) {};

  private PlainConversion() {}

  /**
   * {@code raw} as an instance of {@code type}, or {@link #UNSUPPORTED}.
   *
   * @throws IllegalArgumentException when it cannot be converted; the message names the value and
   *     the Java type, e.g. {@code "soon" is not a long}, {@code [1]: "x" is not a number}
   */
  public static Object convert(Object raw, Type type) {
    try {
      return value(raw, type);
    } catch (RuntimeException e) {
      if (e == NEEDS_MAPPER) {
        return UNSUPPORTED;
      }
      throw e;
    }
  }

  private static Object value(Object raw, Type type) {
    if (raw == null) {
      throw NEEDS_MAPPER; // null elements: Jackson's rules for primitives and containers
    }
    if (type instanceof Class<?> c) {
      return ofClass(raw, c);
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> rawType) {
      Type[] args = p.getActualTypeArguments();
      if (Map.class == rawType) {
        return map(raw, args[0], args[1]);
      }
      if (List.class == rawType || Collection.class == rawType) {
        return collection(raw, args[0], new ArrayList<>());
      }
      if (Set.class == rawType) {
        return collection(raw, args[0], new HashSet<>());
      }
      throw NEEDS_MAPPER;
    }
    if (type instanceof GenericArrayType a) {
      return array(raw, a.getGenericComponentType());
    }
    if (type instanceof WildcardType w && w.getLowerBounds().length == 0) {
      return value(raw, w.getUpperBounds()[0]);
    }
    if (type instanceof TypeVariable<?> v && v.getBounds().length == 1) {
      return value(raw, v.getBounds()[0]);
    }
    throw NEEDS_MAPPER;
  }

  private static Object ofClass(Object raw, Class<?> type) {
    if (type == Object.class) {
      return raw; // as Jackson returns it: the value itself, containers included
    }
    Class<?> target = box(type);
    if (target.isInstance(raw) && isPlainScalar(raw)) {
      return raw;
    }
    if (target == Integer.class
        || target == Long.class
        || target == Short.class
        || target == Byte.class) {
      return integral(raw, target, type);
    }
    if (target == Double.class || target == Float.class) {
      if (raw instanceof Double d) {
        return target == Double.class ? (Object) d : (Object) (float) d.doubleValue();
      }
      if (raw instanceof Long || raw instanceof Integer) {
        long l = ((Number) raw).longValue();
        return target == Double.class ? (Object) (double) l : (Object) (float) l;
      }
      throw NEEDS_MAPPER;
    }
    if (type.isEnum()) {
      return enumConstant(raw, type);
    }
    if (type == Duration.class) {
      return duration(raw);
    }
    if (type == List.class || type == Collection.class) {
      return collection(raw, Object.class, new ArrayList<>());
    }
    if (type == Set.class) {
      return collection(raw, Object.class, new HashSet<>());
    }
    if (type == Map.class) {
      return map(raw, String.class, Object.class);
    }
    if (type.isArray() && raw instanceof List) {
      return array(raw, type.getComponentType());
    }
    throw NEEDS_MAPPER;
  }

  private static Object integral(Object raw, Class<?> target, Class<?> type) {
    long value;
    if (raw instanceof Long || raw instanceof Integer) {
      value = ((Number) raw).longValue();
    } else if (raw instanceof String s && isInteger(s)) {
      try {
        value = Long.parseLong(s);
      } catch (NumberFormatException tooLong) {
        throw new IllegalArgumentException(quote(s) + " is out of range for " + javaName(type));
      }
    } else if (raw instanceof String s && !s.isBlank() && s.chars().noneMatch(Character::isDigit)) {
      throw new IllegalArgumentException(quote(s) + " is not " + article(type) + javaName(type));
    } else if (raw instanceof List || raw instanceof Map) {
      throw new IllegalArgumentException(
          (raw instanceof List ? "a list" : "an object")
              + " is not "
              + article(type)
              + javaName(type));
    } else {
      throw NEEDS_MAPPER; // 2.5, "1e3", true: Jackson's coercions
    }
    long min;
    long max;
    if (target == Integer.class) {
      min = Integer.MIN_VALUE;
      max = Integer.MAX_VALUE;
    } else if (target == Short.class) {
      min = Short.MIN_VALUE;
      max = Short.MAX_VALUE;
    } else if (target == Byte.class) {
      min = Byte.MIN_VALUE;
      max = Byte.MAX_VALUE;
    } else {
      return value;
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          value + " is out of range for " + javaName(type) + " (" + min + " to " + max + ")");
    }
    if (target == Integer.class) {
      return (int) value;
    }
    return target == Short.class ? (Object) (short) value : (Object) (byte) value;
  }

  private static Object enumConstant(Object raw, Class<?> type) {
    if (!(raw instanceof String name) || name.isEmpty() || Character.isDigit(name.charAt(0))) {
      throw NEEDS_MAPPER; // constants by index, empty strings: Jackson's rules
    }
    Object[] constants = type.getEnumConstants();
    for (Object constant : constants) {
      if (((Enum<?>) constant).name().equals(name)) {
        return constant;
      }
    }
    List<String> names = new ArrayList<>();
    for (Object constant : constants) {
      names.add(((Enum<?>) constant).name());
    }
    throw new IllegalArgumentException(
        quote(name) + " is not a constant of enum " + type.getName() + " " + names);
  }

  private static Duration duration(Object raw) {
    if (raw instanceof String s) {
      try {
        return Duration.parse(s);
      } catch (DateTimeParseException e) {
        // fall through to the message below
      }
    }
    throw new IllegalArgumentException(
        (raw instanceof String s ? quote(s) : String.valueOf(raw))
            + " is not a java.time.Duration: write it as an ISO-8601 string, e.g. \"PT5S\","
            + " \"PT0.25S\" or \"PT2M\"");
  }

  private static <C extends Collection<Object>> C collection(Object raw, Type element, C into) {
    if (!(raw instanceof List<?> list)) {
      throw NEEDS_MAPPER; // a single value as a one-element list, a string: Jackson's rules
    }
    int i = 0;
    for (Object e : list) {
      into.add(element == Object.class ? natural(e) : at("[" + i + "]", e, element));
      i++;
    }
    return into;
  }

  private static Map<String, Object> map(Object raw, Type key, Type value) {
    if (!(raw instanceof Map<?, ?> m) || (key != String.class && key != Object.class)) {
      throw NEEDS_MAPPER;
    }
    Map<String, Object> into = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String k)) {
        throw NEEDS_MAPPER;
      }
      into.put(
          k,
          value == Object.class ? natural(e.getValue()) : at("'" + k + "'", e.getValue(), value));
    }
    return into;
  }

  private static Object array(Object raw, Type component) {
    if (!(raw instanceof List<?> list)) {
      throw NEEDS_MAPPER;
    }
    Class<?> componentClass = erasure(component);
    Object array = Array.newInstance(componentClass, list.size());
    for (int i = 0; i < list.size(); i++) {
      Object e = list.get(i);
      if (e == null) {
        throw NEEDS_MAPPER;
      }
      Array.set(array, i, at("[" + i + "]", e, component));
    }
    return array;
  }

  /** An element converted, a failure prefixed with where it is ({@code [2]: …}). */
  private static Object at(String where, Object raw, Type type) {
    try {
      return value(raw, type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  /**
   * A value as Jackson gives it for {@code Object} inside a container: the same scalar, lists and
   * objects copied.
   */
  private static Object natural(Object raw) {
    if (raw instanceof List<?> list) {
      List<Object> into = new ArrayList<>(list.size());
      for (Object e : list) {
        into.add(natural(e));
      }
      return into;
    }
    if (raw instanceof Map<?, ?> m) {
      Map<Object, Object> into = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        into.put(e.getKey(), natural(e.getValue()));
      }
      return into;
    }
    if (raw == null
        || raw instanceof String
        || raw instanceof Boolean
        || raw instanceof Long
        || raw instanceof Double
        || raw instanceof Integer) {
      return raw;
    }
    throw NEEDS_MAPPER; // BigDecimal and others: Jackson's number rules
  }

  private static Class<?> erasure(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
      return c;
    }
    if (type instanceof GenericArrayType a) {
      return Array.newInstance(erasure(a.getGenericComponentType()), 0).getClass();
    }
    throw NEEDS_MAPPER;
  }

  private static boolean isInteger(String s) {
    int start = s.startsWith("-") ? 1 : 0;
    if (s.length() == start || s.length() > 20) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  static boolean isPlainScalar(Object raw) {
    Class<?> c = raw.getClass();
    return c == String.class
        || c == Long.class
        || c == Boolean.class
        || c == Double.class
        || c == Integer.class
        || c == BigDecimal.class;
  }

  /** {@code int}, {@code Long}, {@code com.acme.Limits}: as a Java source would name it. */
  private static String javaName(Class<?> type) {
    return type.getName().startsWith("java.lang.") ? type.getSimpleName() : type.getName();
  }

  private static String article(Class<?> type) {
    return "aeiouAEIOU".indexOf(type.getSimpleName().charAt(0)) >= 0 ? "an " : "a ";
  }

  private static String quote(String s) {
    String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
    return "\"" + shown + "\"";
  }

  static Class<?> box(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    return Array.get(Array.newInstance(c, 1), 0).getClass();
  }
}
