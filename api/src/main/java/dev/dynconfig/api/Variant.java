package dev.dynconfig.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the methods of an A/B test. The entry method (without {@link #id()}) is the control: on
 * each call it dispatches to the sibling method (same class, same parameter types, same return
 * type, same static-ness) whose {@code id} is the variant assigned to the current user. With no
 * assignment, the control variant, or an id without a sibling, the entry method's own body runs.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Variant {
  /** The A/B test id. */
  String test();

  /** The variant this method implements; empty marks the entry method (the control). */
  String id() default "";
}
