package dev.dynconfig.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Reads {@link ClassShape}s from class files with ASM: the class being loaded from its bytes, and
 * its super types from their class files found as resources of its loader (never by loading a
 * class). One instance serves one rewrite, caching the super types it read.
 */
final class ClassShapes {
  private static final String OUR_API = "dev/dynconfig/api/";

  /** Our annotation types by descriptor. */
  private static final Map<String, String> OURS =
      Map.of(
          "L" + SitePlanner.TOGGLE.replace('.', '/') + ";", SitePlanner.TOGGLE,
          "L" + SitePlanner.VARIANT.replace('.', '/') + ";", SitePlanner.VARIANT,
          "L" + SitePlanner.CONFIG_VALUE.replace('.', '/') + ";", SitePlanner.CONFIG_VALUE);

  private static final ClassShape UNREADABLE = new ClassShape("", 0, null, List.of(), List.of());

  private final ClassLoader loader;
  private final Map<String, ClassShape> read = new HashMap<>();

  /** {@code loader}: the loader whose resources hold the super types; null for the system one. */
  ClassShapes(ClassLoader loader) {
    this.loader = loader;
  }

  /** The shape of a class file. Throws on a malformed (or too new) class file. */
  static ClassShape read(byte[] classFile) {
    ShapeVisitor visitor = new ShapeVisitor();
    new ClassReader(classFile)
        .accept(visitor, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return visitor.shape();
  }

  /**
   * The shape of the type named {@code internalName}, from its class file as a resource of the
   * loader (our api types also from the agent's jar); null when it cannot be found or read.
   */
  ClassShape type(String internalName) {
    ClassShape shape = read.computeIfAbsent(internalName, this::readResource);
    return shape == UNREADABLE ? null : shape;
  }

  private ClassShape readResource(String internalName) {
    String resource = internalName + ".class";
    try {
      byte[] bytes = resource(loader, resource);
      if (bytes == null && internalName.startsWith(OUR_API)) {
        // A loader whose parent is the platform loader gets our api from the bootstrap path,
        // whose class files are not visible as its resources.
        bytes = resource(ClassShapes.class.getClassLoader(), resource);
      }
      return bytes == null ? UNREADABLE : read(bytes);
    } catch (IOException | RuntimeException unreadable) {
      return UNREADABLE;
    }
  }

  private static byte[] resource(ClassLoader loader, String resource) throws IOException {
    try (InputStream in =
        loader == null
            ? ClassLoader.getSystemResourceAsStream(resource)
            : loader.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  /**
   * Whether a value of the type with descriptor {@code produced} can be returned as {@code wanted}
   * (both reference or both the same primitive); false when a super type cannot be read.
   */
  boolean assignable(String produced, String wanted) {
    if (produced.equals(wanted)) {
      return true;
    }
    if (!isReference(produced) || !isReference(wanted)) {
      return false;
    }
    if (wanted.equals("Ljava/lang/Object;")) {
      return true;
    }
    if (produced.startsWith("[")) {
      if (wanted.equals("Ljava/lang/Cloneable;") || wanted.equals("Ljava/io/Serializable;")) {
        return true;
      }
      return wanted.startsWith("[") && assignable(produced.substring(1), wanted.substring(1));
    }
    if (wanted.startsWith("[")) {
      return false;
    }
    return isSubtype(
        produced.substring(1, produced.length() - 1), wanted.substring(1, wanted.length() - 1), 0);
  }

  private boolean isSubtype(String type, String wanted, int depth) {
    if (type.equals(wanted)) {
      return true;
    }
    ClassShape shape = depth > 64 ? null : type(type);
    if (shape == null) {
      return false;
    }
    if (shape.superName() != null && isSubtype(shape.superName(), wanted, depth + 1)) {
      return true;
    }
    for (String i : shape.interfaces()) {
      if (isSubtype(i, wanted, depth + 1)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isReference(String descriptor) {
    return descriptor.startsWith("L") || descriptor.startsWith("[");
  }

  /** Collects names, flags and methods, with only our annotations' values. */
  private static final class ShapeVisitor extends ClassVisitor {
    private String name;
    private int access;
    private String superName;
    private List<String> interfaces;
    private final List<ClassShape.MethodShape> methods = new ArrayList<>();

    ShapeVisitor() {
      super(Opcodes.ASM9);
    }

    @Override
    public void visit(
        int version,
        int access,
        String name,
        String signature,
        String superName,
        String[] interfaces) {
      this.name = name;
      this.access = access;
      this.superName = superName;
      this.interfaces = interfaces == null ? List.of() : List.of(interfaces);
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      Map<String, Map<String, Object>> annotations = new LinkedHashMap<>(2);
      methods.add(new ClassShape.MethodShape(access, name, descriptor, annotations));
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
          String type = OURS.get(annotation);
          if (type == null) {
            return null;
          }
          Map<String, Object> values = new HashMap<>(4);
          annotations.put(type, values);
          return new AnnotationVisitor(Opcodes.ASM9) {
            @Override
            public void visit(String property, Object value) {
              values.put(property, value); // our properties are all String or boolean
            }
          };
        }
      };
    }

    ClassShape shape() {
      return new ClassShape(name, access, superName, interfaces, List.copyOf(methods));
    }
  }
}
