package dev.dynconfig.internal.engine;

/**
 * What a flag's result depends on in one snapshot, as {@link EngineIntrospection#contextNeeds}
 * answers it: the caller reads no more of a context than {@link #need()} says, and serves {@link
 * #constant()} without asking again until the snapshot changes.
 *
 * @param need what of the evaluation context the result may depend on
 * @param constant the result, the same for every context and instant, when {@code need} is {@link
 *     Need#NOTHING}; null otherwise
 * @param defined whether the snapshot defines the flag or an override sets it (else the result is
 *     the caller's default)
 * @param bucketed whether the flag has a rollout, so that a call without a bucketing key is
 *     anonymous (counted as such by the agent's fleet insight); false under an override
 */
public record ContextNeeds(Need need, ConstantResult constant, boolean defined, boolean bucketed) {

  /** What of the evaluation context a result may depend on. */
  public enum Need {
    /**
     * Nothing, nor the clock: an override, an unknown flag (the caller's default), a flag without
     * conditions.
     */
    NOTHING,
    /** Only the bucketing key ({@code EvaluationContext.bucketingKey()}): a plain rollout. */
    BUCKETING_KEY,
    /** Anything: targeting, environments, minimum role, expiry. */
    FULL_CONTEXT
  }
}
