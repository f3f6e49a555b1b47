package dev.dynconfig.jmx;

import dev.dynconfig.internal.engine.EngineIntrospection;
import dev.dynconfig.internal.json.Json;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes made over JMX, each logged with what changed, old → new, and who (the JMX principal, or
 * {@code anonymous} when the connection is unauthenticated or local).
 */
final class Audit {
  /** Engine events caused by JMX carry this source. */
  static final String SOURCE = "jmx";

  private static final Logger LOG = LoggerFactory.getLogger("dev.dynconfig.jmx");

  private Audit() {}

  /** Sets (value non-null) or removes (null) a flag's override and logs the change. */
  static void override(EngineIntrospection engine, String flagKey, Object value) {
    if (flagKey == null || flagKey.isEmpty()) {
      throw new IllegalArgumentException("a flag key is required");
    }
    Object old = engine.overrides().get(flagKey);
    if (Objects.equals(old, value)) {
      return;
    }
    try {
      if (value == null) {
        engine.removeOverride(flagKey, SOURCE);
      } else {
        engine.setOverride(flagKey, value, SOURCE);
      }
    } catch (RuntimeException e) {
      throw clientError(e);
    }
    LOG.info(
        "JMX override of flag '{}': {} \u2192 {} (principal: {})",
        flagKey,
        show(old),
        show(value),
        who());
  }

  /** Sets or removes a runtime-config value and logs the change. */
  static void runtimeConfig(
      EngineIntrospection engine, String namespace, String key, Object value) {
    if (namespace == null || namespace.isEmpty() || key == null || key.isEmpty()) {
      throw new IllegalArgumentException("a namespace and a key are required");
    }
    Object old = engine.runtimeConfig(namespace, key);
    try {
      engine.setRuntimeConfig(namespace, key, value);
    } catch (RuntimeException e) {
      throw clientError(e);
    }
    LOG.info(
        "JMX runtime config {}.{}: {} \u2192 {} (principal: {})",
        namespace,
        key,
        show(old),
        show(value),
        who());
  }

  static void log(String what) {
    LOG.info("JMX {} (principal: {})", what, who());
  }

  /**
   * An exception a generic JMX client can deserialize: only JDK classes, the message kept, the
   * cause (possibly one of our classes or Jackson's) dropped.
   */
  static IllegalArgumentException clientError(RuntimeException e) {
    if (e instanceof IllegalArgumentException && e.getClass() == IllegalArgumentException.class) {
      return (IllegalArgumentException) e;
    }
    return new IllegalArgumentException(e.getMessage() == null ? e.toString() : e.getMessage());
  }

  private static String show(Object value) {
    return value == null ? "(none)" : Json.render(value);
  }

  private static String who() {
    String p = Principals.current();
    return p == null ? "anonymous" : p;
  }
}
