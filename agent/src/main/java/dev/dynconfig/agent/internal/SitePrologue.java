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
 * &#64;Variant:     switch (Bridge.variant(S)) {
 *                 case i: t = Bridge.variantStart(S, i);                 // t on the operand stack
 *                         try { r = sibling_i(args); } catch (Throwable e) {
 *                           Bridge.variantFailed(S, i); throw e; }
 *                         Bridge.variantEnd(t, S, i); return r;
 *                 case n: Bridge.controlStart(S);                        // the assigned control
 *               }
 *               // the original body, with Bridge.bodyEnd(S) before each return and a last
 *               // handler: catch (Throwable e) { Bridge.bodyFailed(S); throw e; }
 * &#64;ConfigValue: Object v = Bridge.config(S); if (v != Bridge.NO_VALUE) return (R) v;  // unboxed
 * ... original body ...
 * </pre>
 *
 * <p>Stack map frames are written by hand (all {@code F_SAME}/{@code F_SAME1}, and one {@code
 * F_FULL} of the entry locals for the body's handler: nothing but the operand stack ever differs
 * from the method's entry frame), so no frame computation and hence no class loading is needed.
 * After the prologue we emit a {@code NOP}: the original code may start with its own frame (a loop
 * header at offset 0), and two frames at the same offset are invalid.
 */
final class SitePrologue extends MethodVisitor {
  static final String BRIDGE = "dev/dynconfig/bootstrap/Bridge";
  static final String TOGGLE_CONSTANT = "dev/dynconfig/bootstrap/ToggleConstant";

  static final String THROWABLE = "java/lang/Throwable";

  private final MethodPlan plan;
  private final boolean writeFrames;
  private final int extraStack;
  private final String owner;

  /** Where the original code of a {@code @Variant} entry method starts; null for other kinds. */
  private Label bodyStart;

  SitePrologue(MethodVisitor delegate, MethodPlan plan, boolean writeFrames, String owner) {
    super(Opcodes.ASM9, delegate);
    this.plan = plan;
    this.writeFrames = writeFrames;
    this.owner = owner;
    int args = plan.isStatic() ? 0 : 1;
    for (Type t : plan.argumentTypes()) {
      args += t.getSize();
    }
    // Receiver + arguments for a delegating call (+ 2 under them: a variant's start time), 3 for
    // the config sequence (value, dup, NO_VALUE), 6 after a variant's call (start time, a
    // long/double result, site and index for Bridge.variantEnd).
    this.extraStack = Math.max(6, args + 2);
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

  /**
   * For a {@code @Variant} entry method, a last exception handler around its original code counts
   * what the body throws and rethrows it. Added here, after the original code's handlers, so that
   * they keep precedence; its frame is the method's entry frame plus the throwable.
   */
  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    if (bodyStart != null) {
      Label end = new Label();
      Label handler = new Label();
      super.visitLabel(end);
      super.visitTryCatchBlock(bodyStart, end, handler, THROWABLE);
      super.visitLabel(handler);
      if (writeFrames) {
        Object[] locals = entryLocals();
        super.visitFrame(Opcodes.F_FULL, locals.length, locals, 1, new Object[] {THROWABLE});
      }
      pushInt(plan.siteId());
      super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "bodyFailed", "(I)V", false);
      super.visitInsn(Opcodes.ATHROW);
    }
    // + 2: a return value under the site id pushed for Bridge.bodyEnd.
    super.visitMaxs(Math.max(maxStack + (bodyStart != null ? 2 : 0), extraStack), maxLocals);
  }

  /** The local variable types of the method's entry frame: receiver and arguments. */
  private Object[] entryLocals() {
    java.util.List<Object> locals = new java.util.ArrayList<>();
    if (!plan.isStatic()) {
      locals.add(owner);
    }
    for (Type t : plan.argumentTypes()) {
      locals.add(
          switch (t.getSort()) {
            case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT -> Opcodes.INTEGER;
            case Type.LONG -> Opcodes.LONG;
            case Type.FLOAT -> Opcodes.FLOAT;
            case Type.DOUBLE -> Opcodes.DOUBLE;
            default -> t.getInternalName();
          });
    }
    return locals.toArray();
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
    if (!plan.countExposures()) {
      emitUncountedVariant();
      return;
    }
    int n = plan.siblings().size();
    Label body = new Label();
    Label[] cases = new Label[n + 1]; // the siblings, then the control (the entry's own body)
    Label[] tryStarts = new Label[n];
    Label[] tryEnds = new Label[n];
    Label[] handlers = new Label[n];
    for (int i = 0; i <= n; i++) {
      cases[i] = new Label();
    }
    for (int i = 0; i < n; i++) {
      tryStarts[i] = new Label();
      tryEnds[i] = new Label();
      handlers[i] = new Label();
      // Declared before the original code's handlers; their ranges cover the prologue only.
      super.visitTryCatchBlock(tryStarts[i], tryEnds[i], handlers[i], THROWABLE);
    }
    pushInt(plan.siteId());
    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "variant", "(I)I", false);
    super.visitTableSwitchInsn(0, n, body, cases);
    for (int i = 0; i < n; i++) {
      super.visitLabel(cases[i]);
      frameSame();
      delegateMeasured(plan.siblings().get(i), i, tryStarts[i], tryEnds[i], handlers[i]);
    }
    super.visitLabel(cases[n]);
    frameSame();
    pushInt(plan.siteId());
    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "controlStart", "(I)V", false);
    startBody(body);
    bodyStart = body;
  }

  /** The {@code @Variant} prologue without exposure counting (agent option exposures=false). */
  private void emitUncountedVariant() {
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

  /**
   * As {@link #delegateAndReturn}, counting the call as an exposure of sibling {@code index}: its
   * start time ({@code Bridge.variantStart}, a long) stays on the operand stack under the arguments
   * and the result, so no local is needed; a throwable is counted and rethrown.
   */
  private void delegateMeasured(
      MethodPlan.Call call, int index, Label tryStart, Label tryEnd, Label handler) {
    pushInt(plan.siteId());
    pushInt(index);
    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "variantStart", "(II)J", false);
    super.visitLabel(tryStart);
    loadArguments();
    super.visitMethodInsn(
        call.opcode(), call.owner(), call.name(), call.descriptor(), call.ownerIsInterface());
    super.visitLabel(tryEnd);
    Type produced = call.returnType();
    // Stack: start (long), result. Bring the start to the top for Bridge.variantEnd.
    if (produced.getSize() == 1) {
      super.visitInsn(Opcodes.DUP_X2);
      super.visitInsn(Opcodes.POP);
    } else if (produced.getSize() == 2) {
      super.visitInsn(Opcodes.DUP2_X2);
      super.visitInsn(Opcodes.POP2);
    }
    pushInt(plan.siteId());
    pushInt(index);
    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "variantEnd", "(JII)V", false);
    adaptAndReturn(produced);
    super.visitLabel(handler);
    if (writeFrames) {
      super.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {THROWABLE});
    }
    pushInt(plan.siteId());
    pushInt(index);
    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "variantFailed", "(II)V", false);
    super.visitInsn(Opcodes.ATHROW);
  }

  /**
   * In the original code of a {@code @Variant} entry method: before each return, tell the bridge
   * that the body ended (it times the call if it ran as the control).
   */
  @Override
  public void visitInsn(int opcode) {
    if (bodyStart != null && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
      pushInt(plan.siteId());
      super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "bodyEnd", "(I)V", false);
    }
    super.visitInsn(opcode);
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
    loadArguments();
    super.visitMethodInsn(
        call.opcode(), call.owner(), call.name(), call.descriptor(), call.ownerIsInterface());
    adaptAndReturn(call.returnType());
  }

  private void loadArguments() {
    int slot = 0;
    if (!plan.isStatic()) {
      super.visitVarInsn(Opcodes.ALOAD, 0);
      slot = 1;
    }
    for (Type t : plan.argumentTypes()) {
      super.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
      slot += t.getSize();
    }
  }

  private void adaptAndReturn(Type produced) {
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
