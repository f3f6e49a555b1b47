package dev.dynconfig;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A boolean feature flag in the native format, as registered from code or read from a document.
 *
 * @param key unique key
 * @param defaultValue the value when nothing else applies
 * @param environments environments the flag is live in, or null for all
 * @param minRole the minimum role (ranked by the document's {@code roles}), or null
 * @param rolloutPercentage 0..100, or null for no rollout
 * @param expiresAt from this instant on the flag serves its default (reason EXPIRED), or null
 * @param variant an identifier carried in results, or null
 * @param metadata free-form metadata (JSON values)
 * @param targeting a JsonLogic rule (plain Java JSON values), or null
 */
public record FeatureFlag(
    String key,
    boolean defaultValue,
    String name,
    String description,
    List<String> environments,
    String minRole,
    Double rolloutPercentage,
    Instant expiresAt,
    String variant,
    Map<String, Object> metadata,
    Object targeting) {

  /** A flag with just a key and a default value. */
  public static FeatureFlag of(String key, boolean defaultValue) {
    return new FeatureFlag(key, defaultValue, null, null, null, null, null, null, null, null, null);
  }
}
