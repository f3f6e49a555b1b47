package dev.dynconfig.agent.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * Converts raw runtime-config values (JSON values: String, Number, Boolean, List, Map) to the
 * return type of a {@code @ConfigValue} method: primitives (as their box), boxes, String, enums,
 * List/Map and records (through Jackson, honouring generic types such as {@code List<Long>}).
 */
final class ValueConverter {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ValueConverter() {}

  /** The generic return type of the site's method, looked up reflectively (once per site). */
  static Type returnType(Site site) throws ReflectiveOperationException {
    Class<?> owner = Class.forName(site.ownerName, false, site.loader());
    for (Method m : owner.getDeclaredMethods()) {
      if (m.getName().equals(site.methodName)
          && net.bytebuddy.jar.asm.Type.getMethodDescriptor(m).equals(site.descriptor)) {
        return m.getGenericReturnType();
      }
    }
    throw new NoSuchMethodException(site.describe());
  }

  /**
   * {@code raw} as an instance of {@code type} (boxed for primitives).
   *
   * @throws IllegalArgumentException when it cannot be converted; the message says why
   */
  static Object convert(Object raw, Type type) {
    Objects.requireNonNull(raw, "raw");
    JavaType javaType = MAPPER.getTypeFactory().constructType(type);
    Class<?> target = box(javaType.getRawClass());
    if (target.isInstance(raw) && !javaType.isContainerType()) {
      return raw;
    }
    Object value = MAPPER.convertValue(raw, javaType);
    if (value == null || !target.isInstance(value)) {
      throw new IllegalArgumentException(
          "converted to " + (value == null ? "null" : value.getClass().getName()));
    }
    return value;
  }

  private static Class<?> box(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    if (c == int.class) {
      return Integer.class;
    }
    if (c == long.class) {
      return Long.class;
    }
    if (c == boolean.class) {
      return Boolean.class;
    }
    if (c == double.class) {
      return Double.class;
    }
    if (c == float.class) {
      return Float.class;
    }
    if (c == short.class) {
      return Short.class;
    }
    if (c == byte.class) {
      return Byte.class;
    }
    return Character.class;
  }
}
