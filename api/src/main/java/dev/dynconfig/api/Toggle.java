package dev.dynconfig.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Guards a method with a boolean feature flag. While the flag is on, the method's own body runs;
 * while it is off, the {@link #otherwise()} method runs instead (declared by the same class, or a
 * public or protected method inherited from a superclass; same parameter types, compatible return
 * type, same static-ness), or, for a {@code void} method without {@code otherwise}, nothing runs.
 *
 * <p>Under the dynconfig agent the method is rewritten once, at class load; later flag changes take
 * effect on the next call. A refused annotation is logged once and the method keeps its original
 * behaviour. Without the agent the annotation has no effect.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Toggle {
  /** The flag key. */
  String flag();

  /**
   * Name of the method that runs while the flag is off. Required for non-void methods; empty means
   * "do nothing" for void methods.
   */
  String otherwise() default "";

  /**
   * The flag's value while no source defines it. With the default, {@code false}, annotating a
   * method switches its body off until a source defines the flag: {@link #otherwise()} runs instead
   * (a {@code void} method without {@code otherwise} does nothing). Set it to {@code true} to keep
   * the body running until then. (If the agent cannot evaluate at all, the body runs.)
   */
  boolean defaultValue() default false;
}
