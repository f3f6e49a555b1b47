package dev.dynconfig.agent.internal;

import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Inserts the dynconfig prologue at the start of an annotated method and leaves the original code
 * untouched after it. The prologue only adds instructions, never methods, fields or locals, so the
 * class keeps its shape and the same rewrite works at class load and on retransformation (late
 * attach). Shapes, with {@code S} the site id constant:
 *
 * <pre>
 * &#64;Toggle:      ToggleConstant c = Bridge.toggleConstant(S);      // kept on the operand stack
 *               if (!(c != null ? c.use() : Bridge.toggle(S))) return otherwise(args);
 *               // void without otherwise: return;
 * &#64;Variant:     switch (Bridge.variant(S)) { case i: return sibling_i(args); }
 * &#64;ConfigValue: Object v = Bridge.config(S); if (v != Bridge.NO_VALUE) return (R) v;  // unboxed
 * ... original body ...
 * </pre>
 *
 * <p>Stack map frames are written by hand (all {@code F_SAME}/{@code F_SAME1}: nothing but the
 * operand stack ever differs from the method's entry frame), so no frame computation and hence no
 * class loading is needed. After the prologue we emit a {@code NOP}: the original code may start
 * with its own frame (a loop header at offset 0), and two frames at the same offset are invalid.
 */
final class SitePrologue extends MethodVisitor {
  static final String BRIDGE = "dev/dynconfig/bootstrap/Bridge";
  static final String TOGGLE_CONSTANT = "dev/dynconfig/bootstrap/ToggleConstant";

  private final MethodPlan plan;
  private final boolean writeFrames;
  private final int extraStack;

  SitePrologue(MethodVisitor delegate, MethodPlan plan, boolean writeFrames) {
    super(Opcodes.ASM9, delegate);
    this.plan = plan;
    this.writeFrames = writeFrames;
    int args = plan.isStatic() ? 0 : 1;
    for (Type t : plan.argumentTypes()) {
      args += t.getSize();
    }
    // Receiver + arguments for a delegating call, 2 for a long/double result, 3 for the config
    // sequence (value, dup, NO_VALUE).
    this.extraStack = Math.max(3, args);
  }

  @Override
  public void visitCode() {
    super.visitCode();
    switch (plan.kind()) {
      case TOGGLE -> emitToggle();
      case VARIANT -> emitVariant();
      case CONFIG -> emitConfig();
    }
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    super.visitMaxs(Math.max(maxStack, extraStack), maxLocals);
  }

  private void emitToggle() {
    // The constant check is inlined by the JIT into this method (see Bridge.toggleConstant); only
    // flags whose answer varies per call reach Bridge.toggle and the dispatcher.
    Label askDispatcher = new Label();
    Label decide = new Label();
    Label body = new Label();
    pushInt(plan.siteId());
    super.visitMethodInsn(
        Opcodes.INVOKESTATIC, BRIDGE, "toggleConstant", "(I)L" + TOGGLE_CONSTANT + ";", false);
    super.visitInsn(Opcodes.DUP);
    super.visitJumpInsn(Opcodes.IFNULL, askDispatcher);
    super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, TOGGLE_CONSTANT, "use", "()Z", false);
    super.visitJumpInsn(Opcodes.GOTO, decide);
    super.visitLabel(askDispatcher);
    if (writeFrames) {
      super.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {TOGGLE_CONSTANT});
    }
    super.visitInsn(Opcodes.POP);
    pushInt(plan.siteId());
    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "toggle", "(I)Z", false);
    super.visitLabel(decide);
    if (writeFrames) {
      super.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {Opcodes.INTEGER});
    }
    super.visitJumpInsn(Opcodes.IFNE, body);
    if (plan.otherwise() != null) {
      delegateAndReturn(plan.otherwise());
    } else {
      super.visitInsn(Opcodes.RETURN);
    }
    startBody(body);
  }

  private void emitVariant() {
    int n = plan.siblings().size();
    Label body = new Label();
    Label[] cases = new Label[n];
    for (int i = 0; i < n; i++) {
      cases[i] = new Label();
    }
    pushInt(plan.siteId());
    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "variant", "(I)I", false);
    super.visitTableSwitchInsn(0, n - 1, body, cases);
    for (int i = 0; i < n; i++) {
      super.visitLabel(cases[i]);
      frameSame();
      delegateAndReturn(plan.siblings().get(i));
    }
    startBody(body);
  }

  private void emitConfig() {
    Label none = new Label();
    pushInt(plan.siteId());
    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "config", "(I)Ljava/lang/Object;", false);
    super.visitInsn(Opcodes.DUP);
    super.visitFieldInsn(Opcodes.GETSTATIC, BRIDGE, "NO_VALUE", "Ljava/lang/Object;");
    super.visitJumpInsn(Opcodes.IF_ACMPEQ, none);
    Type r = plan.returnType();
    if (r.getSort() == Type.OBJECT || r.getSort() == Type.ARRAY) {
      if (!r.getInternalName().equals("java/lang/Object")) {
        super.visitTypeInsn(Opcodes.CHECKCAST, r.getInternalName());
      }
    } else {
      String box = boxOf(r);
      super.visitTypeInsn(Opcodes.CHECKCAST, box);
      super.visitMethodInsn(
          Opcodes.INVOKEVIRTUAL, box, r.getClassName() + "Value", "()" + r.getDescriptor(), false);
    }
    super.visitInsn(r.getOpcode(Opcodes.IRETURN));
    super.visitLabel(none);
    if (writeFrames) {
      super.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {"java/lang/Object"});
    }
    super.visitInsn(Opcodes.POP);
  }

  /** Loads receiver and arguments, calls {@code call}, adapts and returns its result. */
  private void delegateAndReturn(MethodPlan.Call call) {
    int slot = 0;
    if (!plan.isStatic()) {
      super.visitVarInsn(Opcodes.ALOAD, 0);
      slot = 1;
    }
    for (Type t : plan.argumentTypes()) {
      super.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
      slot += t.getSize();
    }
    super.visitMethodInsn(
        call.opcode(), call.owner(), call.name(), call.descriptor(), call.ownerIsInterface());
    Type produced = call.returnType();
    Type wanted = plan.returnType();
    if (wanted.getSort() == Type.VOID && produced.getSort() != Type.VOID) {
      super.visitInsn(produced.getSize() == 2 ? Opcodes.POP2 : Opcodes.POP);
    }
    super.visitInsn(wanted.getOpcode(Opcodes.IRETURN));
  }

  private void startBody(Label body) {
    super.visitLabel(body);
    frameSame();
    super.visitInsn(Opcodes.NOP);
  }

  private void frameSame() {
    if (writeFrames) {
      super.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
    }
  }

  private void pushInt(int value) {
    if (value >= -1 && value <= 5) {
      super.visitInsn(Opcodes.ICONST_0 + value);
    } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
      super.visitIntInsn(Opcodes.BIPUSH, value);
    } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
      super.visitIntInsn(Opcodes.SIPUSH, value);
    } else {
      super.visitLdcInsn(value);
    }
  }

  static String boxOf(Type primitive) {
    return switch (primitive.getSort()) {
      case Type.BOOLEAN -> "java/lang/Boolean";
      case Type.BYTE -> "java/lang/Byte";
      case Type.CHAR -> "java/lang/Character";
      case Type.SHORT -> "java/lang/Short";
      case Type.INT -> "java/lang/Integer";
      case Type.LONG -> "java/lang/Long";
      case Type.FLOAT -> "java/lang/Float";
      case Type.DOUBLE -> "java/lang/Double";
      default -> throw new IllegalArgumentException("not a primitive: " + primitive);
    };
  }
}
