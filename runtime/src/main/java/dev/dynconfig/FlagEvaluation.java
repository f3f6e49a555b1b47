package dev.dynconfig;

/**
 * The result of evaluating a flag: the value, why, the flag's variant and, on failure, an error
 * code. Results are immutable and, for flags in a snapshot, pre-built, so evaluating allocates
 * nothing.
 *
 * @param value the value: a {@link Boolean} for boolean flags; for flagd flags the variant's value
 *     ({@link String}, {@link Number}, {@link java.util.Map}, {@link java.util.List}), or the
 *     caller's default
 * @param reason why
 * @param variant the flag's {@code variant} (native) or the chosen variant name (flagd); may be
 *     null
 * @param errorCode null unless something went wrong (or the flag was not found)
 * @param errorMessage a human-readable explanation of the error code, or null
 */
public record FlagEvaluation(
    Object value, Reason reason, String variant, ErrorCode errorCode, String errorMessage) {

  /** {@code true} iff the value is {@link Boolean#TRUE}. */
  public boolean enabled() {
    return Boolean.TRUE.equals(value);
  }
}
