package dev.dynconfig.agent.internal;

import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Rewrites one class file at load time with ASM alone: reads its shape ({@link ClassShapes}; super
 * types, where the planner needs them, from its loader's resources, never by loading a class),
 * plans its annotated methods ({@link SitePlanner}) and inserts the {@link SitePrologue}s, copying
 * everything else as it is. The prologues write their own stack map frames and maximum stack, so
 * the writer computes nothing (no {@code COMPUTE_FRAMES}, which would need the common super class
 * of two types and hence class loading). Byte Buddy is not used here: it costs ~500 classes and a
 * quarter of a second on its first use (BENCHMARKS.md section 4); it stays for late attach only.
 */
final class ClassRewriter {
  private final SitePlanner planner;

  ClassRewriter(SitePlanner planner) {
    this.planner = planner;
  }

  /**
   * The rewritten class file of {@code name} (binary name, with dots), or null when none of its
   * methods is rewritten (no accepted annotation, or a synthetic type). Throws on a class file it
   * cannot read or write; the caller leaves such a class unchanged.
   */
  byte[] rewrite(String name, byte[] classFile, ClassLoader loader) {
    ClassShape type = ClassShapes.read(classFile);
    if (type.isSynthetic()) {
      return null;
    }
    Map<String, MethodPlan> plans = planner.plan(type, loader);
    return plans.isEmpty() ? null : insertPrologues(classFile, plans);
  }

  /** {@code classFile} with a {@link SitePrologue} in front of each planned method. */
  static byte[] insertPrologues(byte[] classFile, Map<String, MethodPlan> plans) {
    ClassReader reader = new ClassReader(classFile);
    // Passing the reader lets ASM copy the constant pool and every method we do not touch as is.
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(new PrologueInserter(writer, plans), 0);
    return writer.toByteArray();
  }

  /** Puts a {@link SitePrologue} in front of each planned method; the rest passes through. */
  private static final class PrologueInserter extends ClassVisitor {
    private final Map<String, MethodPlan> plans;
    private boolean frames;
    private String owner;

    PrologueInserter(ClassVisitor delegate, Map<String, MethodPlan> plans) {
      super(Opcodes.ASM9, delegate);
      this.plans = plans;
    }

    @Override
    public void visit(
        int version,
        int access,
        String name,
        String signature,
        String superName,
        String[] interfaces) {
      // Class files before Java 6 have no stack map frames; writing one would be an error.
      frames = (version & 0xFFFF) >= Opcodes.V1_6;
      owner = name;
      super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      MethodVisitor visitor = super.visitMethod(access, name, descriptor, signature, exceptions);
      MethodPlan plan = plans.get(name + descriptor);
      return plan == null || visitor == null
          ? visitor
          : new SitePrologue(visitor, plan, frames, owner);
    }
  }
}
