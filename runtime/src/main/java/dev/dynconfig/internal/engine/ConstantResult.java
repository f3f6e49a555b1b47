package dev.dynconfig.internal.engine;

import dev.dynconfig.FlagEvaluation;

/**
 * A flag's result that is the same for every context and every instant for as long as the snapshot
 * it was read from is current: an override, an undefined flag (the caller's default), or a flag
 * without targeting, rollout, environments, minimum role or expiry. Obtained from {@link
 * EngineIntrospection#contextNeeds}; callers that serve it without asking the engine again (the
 * agent's rewritten methods) call {@link #recordUse()} per use so the evaluation counters stay what
 * they would have been, and drop it when the snapshot changes ({@link
 * EngineIntrospection#subscribeToSnapshots}).
 */
public final class ConstantResult {
  private final FlagEvaluation result;
  private final FlagCounters counters;

  ConstantResult(FlagEvaluation result, FlagCounters counters) {
    this.result = result;
    this.counters = counters;
  }

  /** What {@code evaluate} returns for this flag, caller default and snapshot, whoever asks. */
  public FlagEvaluation result() {
    return result;
  }

  /** Counts one use as an evaluation, as {@code evaluate} would; allocates nothing. */
  public void recordUse() {
    if (counters != null) {
      counters.record(result.value());
    }
  }
}
