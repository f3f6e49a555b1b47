package dev.dynconfig;

/**
 * A change of one value: a runtime-config entry, or a flag (namespace {@code features}, key = the
 * flag key).
 *
 * @param source what caused it: {@code local}, {@code file}, {@code remote}, {@code override},
 *     {@code jmx} …
 */
public record ConfigChangeEvent(
    String namespace, String key, Object oldValue, Object newValue, String source) {

  /** The namespace under which flag changes are published. */
  public static final String FEATURES = "features";
}
