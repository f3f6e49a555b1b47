package dev.dynconfig.openfeature;

import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.Reason;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ProviderEvaluation;

/**
 * Turns a dynconfig {@link FlagEvaluation} into an OpenFeature {@link ProviderEvaluation} of one
 * {@link FlagType}: value, variant, reason, error code and message, flag metadata.
 */
final class Resolutions {
  /** OpenFeature's reason per dynconfig {@link Reason}, by ordinal. */
  private static final String[] REASONS = new String[Reason.values().length];

  static {
    for (Reason r : Reason.values()) {
      REASONS[r.ordinal()] = reasonName(r);
    }
  }

  private Resolutions() {}

  /**
   * OpenFeature's name for a dynconfig reason: a rollout is {@code SPLIT}, a native rule match
   * {@code TARGETING_MATCH}; {@code OVERRIDE} and {@code EXPIRED} have no OpenFeature counterpart
   * and keep their dynconfig names (OpenFeature allows provider-specific reasons).
   */
  static String reasonName(Reason reason) {
    return switch (reason) {
      case ROLLOUT -> dev.openfeature.sdk.Reason.SPLIT.name();
      case TARGETING, TARGETING_MATCH -> dev.openfeature.sdk.Reason.TARGETING_MATCH.name();
      default -> reason.name();
    };
  }

  /**
   * The OpenFeature result of {@code evaluation}.
   *
   * @param probe what was passed to the engine as the caller's default: where the engine served it,
   *     the caller's own {@code callerDefault} is returned
   */
  @SuppressWarnings("unchecked")
  static <T> ProviderEvaluation<T> from(
      String key,
      FlagEvaluation evaluation,
      FlagType type,
      T callerDefault,
      Object probe,
      ImmutableMetadata metadata) {
    dev.dynconfig.ErrorCode error = evaluation.errorCode();
    if (error != null) {
      return error(callerDefault, errorCode(error), message(key, evaluation), metadata);
    }
    Object value = evaluation.value();
    T resolved;
    if (value == probe) {
      resolved = callerDefault; // DISABLED, or no default variant: the engine served the default
    } else {
      resolved = (T) type.convert(value);
      if (resolved == null) {
        return error(
            callerDefault,
            ErrorCode.TYPE_MISMATCH,
            "flag '"
                + key
                + "' is "
                + FlagType.describe(value)
                + ", not "
                + type.label()
                + "; serving the caller's default",
            metadata);
      }
    }
    return new ProviderEvaluation<>(
        resolved,
        evaluation.variant(),
        REASONS[evaluation.reason().ordinal()],
        null,
        null,
        metadata);
  }

  static <T> ProviderEvaluation<T> error(
      T callerDefault, ErrorCode code, String message, ImmutableMetadata metadata) {
    return new ProviderEvaluation<>(
        callerDefault, null, dev.openfeature.sdk.Reason.ERROR.name(), code, message, metadata);
  }

  private static ErrorCode errorCode(dev.dynconfig.ErrorCode code) {
    return switch (code) {
      case FLAG_NOT_FOUND -> ErrorCode.FLAG_NOT_FOUND;
      case TYPE_MISMATCH -> ErrorCode.TYPE_MISMATCH;
      case PARSE_ERROR -> ErrorCode.PARSE_ERROR;
      case TARGETING_KEY_MISSING -> ErrorCode.TARGETING_KEY_MISSING;
      case INVALID_CONTEXT -> ErrorCode.INVALID_CONTEXT;
      default -> ErrorCode.GENERAL;
    };
  }

  private static String message(String key, FlagEvaluation evaluation) {
    if (evaluation.errorCode() == dev.dynconfig.ErrorCode.FLAG_NOT_FOUND) {
      // The engine's pre-built not-found results do not name the key.
      return "no flag '" + key + "' in dynconfig's current configuration";
    }
    String m = evaluation.errorMessage();
    return m != null ? m : "evaluating flag '" + key + "' failed (" + evaluation.errorCode() + ")";
  }
}
