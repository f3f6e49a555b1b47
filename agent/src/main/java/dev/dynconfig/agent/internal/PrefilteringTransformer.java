package dev.dynconfig.agent.internal;

import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Sits in front of Byte Buddy's transformer (late attach only) and passes on only class files that
 * can carry one of our annotations ({@link AnnotationPrefilter}); the others are returned unchanged
 * ({@code null}) without Byte Buddy parsing them.
 *
 * <p>Retransformation is unaffected: Byte Buddy still selects the loaded classes itself and calls
 * {@code retransformClasses}; the JVM then offers their class files to this transformer, and those
 * carry the annotation.
 */
final class PrefilteringTransformer extends ResettableClassFileTransformer.WithDelegation {

  /** Installs the filter around the transformer that {@code AgentBuilder#installOn} registers. */
  static final AgentBuilder.TransformerDecorator DECORATOR = PrefilteringTransformer::new;

  private PrefilteringTransformer(ResettableClassFileTransformer delegate) {
    super(delegate);
  }

  // The JVM calls the module-aware variant (Java 9+); the other one is for direct callers. Both
  // return null ("unchanged") for a class that cannot carry our annotations.

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classFile)
      throws IllegalClassFormatException {
    if (!AnnotationPrefilter.mayCarryOurAnnotations(classFile)) {
      return null;
    }
    return classFileTransformer.transform(
        module, loader, className, classBeingRedefined, protectionDomain, classFile);
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classFile)
      throws IllegalClassFormatException {
    if (!AnnotationPrefilter.mayCarryOurAnnotations(classFile)) {
      return null;
    }
    return classFileTransformer.transform(
        loader, className, classBeingRedefined, protectionDomain, classFile);
  }
}
