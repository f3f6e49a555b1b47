package dev.dynconfig.agent.internal;

import dev.dynconfig.internal.json.Json;
import dev.dynconfig.internal.json.PlainConversion;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;

/**
 * Converts a raw config value to the return type of a {@code @ConfigValue} method: its generic
 * return type, so that the engine's conversion (shared with {@code getRuntimeConfig}) honours types
 * such as {@code List<Long>}. Common types ({@link PlainConversion}) are converted without Jackson;
 * a record or bean of the application's own is converted with a mapper kept in the site's {@link
 * SiteState}, so the shared mapper's caches never hold an application class.
 */
final class ValueConverter {
  private ValueConverter() {}

  static Object convert(Site.ConfigSite site, SiteState state, Object raw)
      throws ReflectiveOperationException {
    Type type = state.returnType;
    if (type == null) {
      type = returnType(site);
      state.returnType = type;
    }
    // Strings, numbers, booleans, enums, durations, and lists, sets, maps and arrays of these:
    // without Jackson, whose databind would load ~500 classes at the first such call.
    Object plain = PlainConversion.convert(raw, type);
    if (plain != PlainConversion.UNSUPPORTED) {
      return plain;
    }
    if (onlyJdkTypes(type)) {
      return Json.convert(raw, type);
    }
    return convertWithOwnMapper(state, raw, type);
  }

  /** Jackson with the site's own mapper: records, beans and other types of the application. */
  private static Object convertWithOwnMapper(SiteState state, Object raw, Type type) {
    com.fasterxml.jackson.databind.ObjectMapper mapper = state.mapper;
    if (mapper == null) {
      mapper = Json.isolatedMapper();
      state.mapper = mapper;
    }
    return Json.convert(raw, type, mapper);
  }

  /** The generic return type of the site's method, looked up reflectively (once per site). */
  static Type returnType(Site site) throws ReflectiveOperationException {
    Class<?> owner = site.ownerClass();
    for (Method m : owner.getDeclaredMethods()) {
      if (m.getName().equals(site.methodName)
          && net.bytebuddy.jar.asm.Type.getMethodDescriptor(m).equals(site.descriptor)) {
        return m.getGenericReturnType();
      }
    }
    throw new NoSuchMethodException(site.describe());
  }

  /** Whether every class {@code type} names is the JDK's (bootstrap), e.g. {@code List<Long>}. */
  static boolean onlyJdkTypes(Type type) {
    if (type instanceof Class<?> c) {
      return c.getClassLoader() == null;
    }
    if (type instanceof ParameterizedType p) {
      for (Type a : p.getActualTypeArguments()) {
        if (!onlyJdkTypes(a)) {
          return false;
        }
      }
      return onlyJdkTypes(p.getRawType());
    }
    if (type instanceof GenericArrayType a) {
      return onlyJdkTypes(a.getGenericComponentType());
    }
    if (type instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) {
        if (!onlyJdkTypes(b)) {
          return false;
        }
      }
      return true;
    }
    return false; // type variables: let the isolated mapper resolve them
  }
}
