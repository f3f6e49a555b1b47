package dev.dynconfig.agent.internal;

import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * What {@link SitePlanner} needs to know of a class, read from its class file without loading it:
 * its names, flags, and its methods with the values of our annotations on them. Built by {@link
 * ClassShapes} (ASM, at class load) or from Byte Buddy's description (late attach).
 *
 * @param name internal name ({@code com/acme/Shop})
 * @param superName internal name of the superclass; null for {@code java/lang/Object} and modules
 */
record ClassShape(
    String name, int access, String superName, List<String> interfaces, List<MethodShape> methods) {

  /** The binary name, with dots. */
  String javaName() {
    return name.replace('/', '.');
  }

  boolean isInterface() {
    return (access & Opcodes.ACC_INTERFACE) != 0;
  }

  boolean isSynthetic() {
    return (access & Opcodes.ACC_SYNTHETIC) != 0;
  }

  /**
   * One declared method; {@code annotations} maps the binary name of each of our annotation types
   * it carries to the values given explicitly in the source (the planner supplies the defaults).
   */
  record MethodShape(
      int access, String name, String descriptor, Map<String, Map<String, Object>> annotations) {

    boolean isStatic() {
      return (access & Opcodes.ACC_STATIC) != 0;
    }

    boolean isPrivate() {
      return (access & Opcodes.ACC_PRIVATE) != 0;
    }

    boolean isPublicOrProtected() {
      return (access & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) != 0;
    }

    boolean isConstructor() {
      return name.equals("<init>");
    }

    /** Parameter part of the descriptor, e.g. {@code (JD)} of {@code (JD)I}. */
    String parameterDescriptor() {
      return descriptor.substring(0, descriptor.indexOf(')') + 1);
    }

    String returnDescriptor() {
      return descriptor.substring(descriptor.indexOf(')') + 1);
    }
  }
}
