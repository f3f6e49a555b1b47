package dev.dynconfig.agent.internal;

import java.lang.instrument.IllegalClassFormatException;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Sits in front of Byte Buddy's transformer and passes on only class files that can carry one of
 * our annotations.
 *
 * <p>Why: Byte Buddy parses every class file it is offered (to describe the type and run the
 * matchers), ~0.13 ms per class, which dominated the agent's start-up cost on a 5,000-class
 * application. An annotation names its type by a {@code CONSTANT_Utf8} field descriptor in the
 * constant pool ({@code Ldev/dynconfig/api/Toggle;}), and modified UTF-8 stores ASCII unchanged, so
 * a class file whose bytes do not contain {@code Ldev/dynconfig/api/} cannot match our type matcher
 * and is returned unchanged ({@code null}) without Byte Buddy ever seeing it. A byte sequence found
 * elsewhere (a string constant, say) only costs a parse: the filter never rejects a class that Byte
 * Buddy would have rewritten.
 *
 * <p>Late attach is unaffected: Byte Buddy still selects the loaded classes itself and calls {@code
 * retransformClasses}; the JVM then offers their class files to this transformer, and those carry
 * the annotation.
 */
final class AnnotationPrefilter extends ResettableClassFileTransformer.WithDelegation {
  /** The start of every descriptor of an annotation type in {@code dev.dynconfig.api}. */
  private static final byte[] NEEDLE = "Ldev/dynconfig/api/".getBytes(StandardCharsets.US_ASCII);

  /** Installs the filter around the transformer that {@code AgentBuilder#installOn} registers. */
  static final AgentBuilder.TransformerDecorator DECORATOR = AnnotationPrefilter::new;

  private AnnotationPrefilter(ResettableClassFileTransformer delegate) {
    super(delegate);
  }

  /**
   * Whether {@code classFile} contains the bytes {@code Ldev/dynconfig/api/}; false means it cannot
   * carry a {@code dev.dynconfig.api} annotation. Allocates nothing.
   */
  static boolean mayCarryOurAnnotations(byte[] classFile) {
    if (classFile == null) {
      return false;
    }
    byte first = NEEDLE[0];
    int last = classFile.length - NEEDLE.length;
    outer:
    for (int i = 0; i <= last; i++) {
      if (classFile[i] != first) {
        continue;
      }
      for (int j = 1; j < NEEDLE.length; j++) {
        if (classFile[i + j] != NEEDLE[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
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
    if (!mayCarryOurAnnotations(classFile)) {
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
    if (!mayCarryOurAnnotations(classFile)) {
      return null;
    }
    return classFileTransformer.transform(
        loader, className, classBeingRedefined, protectionDomain, classFile);
  }
}
