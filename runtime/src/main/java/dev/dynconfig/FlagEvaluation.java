package dev.dynconfig;

import java.util.Map;

/**
 * The result of evaluating a flag: the value, why, the flag's variant, on failure an error code,
 * and the flag's metadata. Results are immutable and, for flags in a snapshot, pre-built, so
 * evaluating allocates nothing.
 *
 * @param value the value: a {@link Boolean} for boolean flags; for flagd flags the variant's value
 *     ({@link String}, {@link Number}, {@link java.util.Map}, {@link java.util.List}), or the
 *     caller's default
 * @param reason why
 * @param variant the flag's {@code variant} (native) or the chosen variant name (flagd); may be
 *     null
 * @param errorCode null unless something went wrong (or the flag was not found)
 * @param errorMessage a human-readable explanation of the error code, or null
 * @param metadata the flag's metadata, never null and immutable: for a flagd flag the document's
 *     flag-set {@code metadata} merged with the flag's own (the flag's keys win), values {@link
 *     String}, {@link Long}, {@link Double} or {@link Boolean}; for a native flag its own {@code
 *     metadata} (JSON values). Present whenever the flag exists, errors included; empty when the
 *     flag is unknown or has none.
 */
public record FlagEvaluation(
    Object value,
    Reason reason,
    String variant,
    ErrorCode errorCode,
    String errorMessage,
    Map<String, Object> metadata) {

  /** Freezes {@code metadata} ({@link Map#copyOf}: an immutable map is kept as it is). */
  public FlagEvaluation {
    metadata = metadata == null || metadata.isEmpty() ? Map.of() : Map.copyOf(metadata);
  }

  /** A result without metadata. */
  public FlagEvaluation(
      Object value, Reason reason, String variant, ErrorCode errorCode, String errorMessage) {
    this(value, reason, variant, errorCode, errorMessage, Map.of());
  }

  /** {@code true} iff the value is {@link Boolean#TRUE}. */
  public boolean enabled() {
    return Boolean.TRUE.equals(value);
  }
}
