package dev.dynconfig.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a method return the live runtime-configuration value {@code namespace.key}, converted to
 * the method's return type (primitives, boxes, String, enums, {@code java.time.Duration} written as
 * ISO-8601 such as {@code "PT5S"}, List/Set/Map/arrays of these, and records). While the value is
 * absent or not convertible, the method's own body supplies the value, so the body is the default.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ConfigValue {
  /** The configuration namespace, e.g. {@code "checkout"}. */
  String namespace();

  /** The key inside the namespace, e.g. {@code "timeoutMs"}. */
  String key();
}
