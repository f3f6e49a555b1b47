package dev.dynconfig.agent.internal;

import java.util.List;
import net.bytebuddy.jar.asm.Type;

/**
 * How one accepted annotated method is rewritten: its site id, and the calls the prologue makes.
 * Built by {@link SitePlanner} at transform time, consumed by {@link SitePrologue}. {@code
 * countExposures}: a {@code @Variant} prologue also counts, times and catches per branch.
 */
record MethodPlan(
    Kind kind,
    int siteId,
    boolean isStatic,
    Type[] argumentTypes,
    Type returnType,
    Call otherwise,
    List<Call> siblings,
    boolean countExposures) {

  enum Kind {
    TOGGLE,
    VARIANT,
    CONFIG
  }

  /** A direct call to a method of the same class (no reflection, no allocation). */
  record Call(int opcode, String owner, String name, String descriptor, boolean ownerIsInterface) {
    Type returnType() {
      return Type.getReturnType(descriptor);
    }
  }
}
