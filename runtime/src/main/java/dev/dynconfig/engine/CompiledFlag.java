package dev.dynconfig.engine;

import dev.dynconfig.ErrorCode;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.Reason;

/**
 * A flag ready to evaluate: immutable, with every result it can produce for a given caller default
 * built in advance, so evaluation allocates nothing.
 */
abstract class CompiledFlag {
  static final FlagEvaluation NOT_FOUND_NULL = notFound(null, Reason.DEFAULT);
  static final FlagEvaluation NOT_FOUND_FALSE = notFound(Boolean.FALSE, Reason.DEFAULT);
  static final FlagEvaluation NOT_FOUND_TRUE = notFound(Boolean.TRUE, Reason.DEFAULT);
  static final FlagEvaluation NOT_FOUND_NULL_ERROR = notFound(null, Reason.ERROR);
  static final FlagEvaluation NOT_FOUND_FALSE_ERROR = notFound(Boolean.FALSE, Reason.ERROR);
  static final FlagEvaluation NOT_FOUND_TRUE_ERROR = notFound(Boolean.TRUE, Reason.ERROR);

  /**
   * Shapes the engine evaluates inline (see {@link Engine#evaluate} and {@link FastShape}) without
   * handing the context to a virtual call, so a context built per request does not escape and the
   * JIT can scalar-replace it. Native and flagd flags alike.
   */
  static final int GENERAL = 0;

  /** Always the same result: no expiry, environments, role, rule or rollout. */
  static final int STATIC = 1;

  /** Users split in two by their bucketing key: a rollout, a two-way {@code fractional}. */
  static final int ROLLOUT = 2;

  /**
   * One custom attribute compared with a string literal ({@code ==} / {@code ===}, alone or in an
   * {@code if}), then, for native flags, an optional rollout.
   */
  static final int ATTRIBUTE_EQUALS = 3;

  final String key;
  final Object definition;
  final Object definitionTree;
  final FlagCounters counters;
  final int shape;

  /** How the engine evaluates this flag inline; null for {@link #GENERAL}. */
  final FastShape fast;

  /** What every result of this flag carries as {@link FlagEvaluation#metadata()}. */
  final java.util.Map<String, Object> metadata;

  CompiledFlag(
      String key,
      Object definition,
      Object definitionTree,
      FlagCounters counters,
      FastShape fast,
      java.util.Map<String, Object> metadata) {
    // Interned: Snapshot's identity table matches a literal key (interned by the JVM) by identity.
    this.key = key.intern();
    this.definition = definition;
    this.definitionTree = definitionTree;
    this.counters = counters;
    this.fast = fast;
    this.shape = fast == null ? GENERAL : fast.shape;
    this.metadata = metadata;
  }

  /**
   * Evaluates the flag.
   *
   * @param callerDefault the caller's fallback (null when none)
   * @param environment the effective environment (context's, else the engine's)
   */
  abstract FlagEvaluation evaluate(
      EvaluationContext context, Object callerDefault, String environment, Snapshot snapshot);

  /**
   * Whether {@link #evaluate} returns the same result for every context, environment and instant
   * (for a given caller default). Conservative: false when unsure.
   */
  abstract boolean contextFree();

  private static FlagEvaluation notFound(Object value, Reason reason) {
    return new FlagEvaluation(
        value,
        reason,
        null,
        ErrorCode.FLAG_NOT_FOUND,
        "no flag with this key in the current configuration");
  }

  /**
   * The caller's default for a key the snapshot does not define: reason DEFAULT, or ERROR (as the
   * OpenFeature SDKs report it) while a flagd document is served.
   */
  static FlagEvaluation notFound(String key, Object callerDefault, boolean flagd) {
    if (callerDefault == null) {
      return flagd ? NOT_FOUND_NULL_ERROR : NOT_FOUND_NULL;
    }
    if (callerDefault == Boolean.FALSE) {
      return flagd ? NOT_FOUND_FALSE_ERROR : NOT_FOUND_FALSE;
    }
    if (callerDefault == Boolean.TRUE) {
      return flagd ? NOT_FOUND_TRUE_ERROR : NOT_FOUND_TRUE;
    }
    return new FlagEvaluation(
        callerDefault,
        flagd ? Reason.ERROR : Reason.DEFAULT,
        null,
        ErrorCode.FLAG_NOT_FOUND,
        "no flag '" + key + "' in the current configuration");
  }

  static FlagEvaluation error(Object callerDefault, ErrorCode code, String message) {
    return new FlagEvaluation(callerDefault, Reason.ERROR, null, code, message);
  }

  /** An error of this flag: the caller's default, with the flag's metadata. */
  FlagEvaluation flagError(Object callerDefault, ErrorCode code, String message) {
    return new FlagEvaluation(callerDefault, Reason.ERROR, null, code, message, metadata);
  }
}
