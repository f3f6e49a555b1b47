package dev.dynconfig;

/** OpenFeature/flagd error codes carried by a {@link FlagEvaluation}. */
public enum ErrorCode {
  FLAG_NOT_FOUND,
  TYPE_MISMATCH,
  PARSE_ERROR,
  TARGETING_KEY_MISSING,
  INVALID_CONTEXT,
  GENERAL
}
