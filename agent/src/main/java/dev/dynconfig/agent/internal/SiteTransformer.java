package dev.dynconfig.agent.internal;

import java.security.ProtectionDomain;
import java.util.Map;
import java.util.function.BiFunction;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * The Byte Buddy transformer: plans the annotated methods of a type ({@link SitePlanner}) and
 * inserts a {@link SitePrologue} into each accepted one. Only method bodies change, never the
 * class's shape. Used through {@code AgentBuilder} after a late attach; at JVM start {@link
 * LoadTimeTransformer} applies the same {@link #prologues} without {@code AgentBuilder}.
 */
final class SiteTransformer implements AgentBuilder.Transformer {
  private final BiFunction<TypeDescription, ClassLoader, Map<String, MethodPlan>> planner;

  /** {@code planner} is normally {@link SitePlanner#plan}. */
  SiteTransformer(BiFunction<TypeDescription, ClassLoader, Map<String, MethodPlan>> planner) {
    this.planner = planner;
  }

  @Override
  public DynamicType.Builder<?> transform(
      DynamicType.Builder<?> builder,
      TypeDescription type,
      ClassLoader loader,
      JavaModule module,
      ProtectionDomain protectionDomain) {
    Map<String, MethodPlan> plans = planner.apply(type, loader);
    if (plans.isEmpty()) {
      return builder;
    }
    return builder.visit(prologues(plans));
  }

  /** The visitor that inserts a {@link SitePrologue} into each planned method of a type. */
  static AsmVisitorWrapper prologues(Map<String, MethodPlan> plans) {
    return new AsmVisitorWrapper.ForDeclaredMethods()
        .invokable(ElementMatchers.any(), new PrologueWrapper(plans));
  }

  /** Wraps the visitor of each planned method; leaves all other methods alone. */
  private record PrologueWrapper(Map<String, MethodPlan> plans)
      implements AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper {
    @Override
    public MethodVisitor wrap(
        TypeDescription instrumentedType,
        MethodDescription instrumentedMethod,
        MethodVisitor methodVisitor,
        Implementation.Context implementationContext,
        TypePool typePool,
        int writerFlags,
        int readerFlags) {
      MethodPlan plan =
          plans.get(instrumentedMethod.getInternalName() + instrumentedMethod.getDescriptor());
      if (plan == null) {
        return methodVisitor;
      }
      // Class files before Java 6 have no stack map frames; writing one would be an error.
      boolean frames =
          implementationContext.getClassFileVersion().isAtLeast(ClassFileVersion.JAVA_V6);
      return new SitePrologue(methodVisitor, plan, frames, instrumentedType.getInternalName());
    }
  }
}
