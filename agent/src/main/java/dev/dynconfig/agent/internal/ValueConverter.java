package dev.dynconfig.agent.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

/**
 * The target type of a {@code @ConfigValue} method: its generic return type, so that {@link
 * dev.dynconfig.document.Json#convert} (the engine's one conversion, shared with {@code
 * getRuntimeConfig}) honours types such as {@code List<Long>}.
 */
final class ValueConverter {
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
}
