package dev.dynconfig.internal.document;

import java.util.Map;

/**
 * A flag in flagd's format: typed variants, a state, an optional default variant and an optional
 * targeting rule whose result names the variant to serve.
 *
 * @param key the flag key
 * @param enabled {@code state == ENABLED}
 * @param variants variant name → value, in document order (all of {@link #type()})
 * @param defaultVariant the variant served when targeting does not decide, or null (then the
 *     caller's default is served)
 * @param targeting the JsonLogic rule as plain JSON values, or null
 * @param metadata flag metadata (string, number or boolean values)
 * @param type the type all variants share
 */
public record FlagdFlag(
    String key,
    boolean enabled,
    Map<String, Object> variants,
    String defaultVariant,
    Object targeting,
    Map<String, Object> metadata,
    VariantType type) {

  /** The value type of a flagd flag's variants. */
  public enum VariantType {
    BOOLEAN,
    STRING,
    NUMBER,
    OBJECT;

    /** The type of a JSON value, or null for null and arrays (never valid variant values). */
    public static VariantType of(Object value) {
      if (value instanceof Boolean) {
        return BOOLEAN;
      }
      if (value instanceof String) {
        return STRING;
      }
      if (value instanceof Number) {
        return NUMBER;
      }
      if (value instanceof Map) {
        return OBJECT;
      }
      return null;
    }

    /** Lower-case name used in messages ({@code boolean}, {@code string} …). */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
