package dev.dynconfig.agent.internal;

import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * The Byte Buddy transformer of a late attach: describes the type for {@link SitePlanner} (as a
 * {@link ClassShape}, the same input {@link ClassRewriter} reads with ASM at class load) and
 * inserts a {@link SitePrologue} into each accepted method. Only method bodies change, never the
 * class's shape.
 */
final class SiteTransformer implements AgentBuilder.Transformer {
  private final SitePlanner planner;

  SiteTransformer(SitePlanner planner) {
    this.planner = planner;
  }

  @Override
  public DynamicType.Builder<?> transform(
      DynamicType.Builder<?> builder,
      TypeDescription type,
      ClassLoader loader,
      JavaModule module,
      ProtectionDomain protectionDomain) {
    Map<String, MethodPlan> plans = planner.plan(shapeOf(type), loader);
    if (plans.isEmpty()) {
      return builder;
    }
    return builder.visit(prologues(plans));
  }

  /** The planner's view of a type Byte Buddy described from its class file. */
  static ClassShape shapeOf(TypeDescription type) {
    List<ClassShape.MethodShape> methods = new ArrayList<>();
    for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
      Map<String, Map<String, Object>> annotations = new HashMap<>(2);
      for (AnnotationDescription a : m.getDeclaredAnnotations()) {
        String name = a.getAnnotationType().getName();
        if (name.equals(SitePlanner.TOGGLE)
            || name.equals(SitePlanner.VARIANT)
            || name.equals(SitePlanner.CONFIG_VALUE)) {
          Map<String, Object> values = new HashMap<>(4);
          for (MethodDescription.InDefinedShape p : a.getAnnotationType().getDeclaredMethods()) {
            values.put(p.getName(), a.getValue(p).resolve());
          }
          annotations.put(name, values);
        }
      }
      methods.add(
          new ClassShape.MethodShape(
              m.getActualModifiers(), m.getInternalName(), m.getDescriptor(), annotations));
    }
    TypeDescription.Generic superClass = type.getSuperClass();
    List<String> interfaces = new ArrayList<>();
    for (TypeDescription i : type.getInterfaces().asErasures()) {
      interfaces.add(i.getInternalName());
    }
    return new ClassShape(
        type.getInternalName(),
        type.getActualModifiers(false),
        superClass == null ? null : superClass.asErasure().getInternalName(),
        List.copyOf(interfaces),
        List.copyOf(methods));
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
