package dev.dynconfig.engine;

import dev.dynconfig.ErrorCode;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.FeatureFlag;
import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.Reason;
import dev.dynconfig.internal.rules.Bucketing;
import dev.dynconfig.internal.rules.Rule;
import dev.dynconfig.internal.rules.RuleShapes;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A native boolean flag, evaluated in the documented order (override and unknown key excepted). */
final class NativeFlag extends CompiledFlag {
  private static final Logger LOG = LoggerFactory.getLogger(NativeFlag.class);

  private final Rule rule;
  private final long expiresAtMillis;
  private final String[] environments;
  private final String minRole;

  /** The rollout (inside: {@link Split#FIRST}); null when the flag has none or it is 0 %. */
  private final Split rollout;

  private final int bucketingVersion;

  private final Clock clock;
  private final AtomicBoolean ruleFailureLogged = new AtomicBoolean();

  private final FlagEvaluation defaultResult;
  private final FlagEvaluation expiredResult;
  private final FlagEvaluation targetingResult;
  private final FlagEvaluation rolloutResult;
  private final FlagEvaluation errorResult;

  /** Every result the flag can produce, built before the flag so its fast shape can hold them. */
  private record Results(
      java.util.Map<String, Object> metadata,
      FlagEvaluation byDefault,
      FlagEvaluation expired,
      FlagEvaluation targeting,
      FlagEvaluation rollout,
      FlagEvaluation error) {

    static Results of(FeatureFlag f) {
      java.util.Map<String, Object> metadata = FlagMetadata.ofNative(f.metadata());
      Boolean dv = f.defaultValue();
      String variant = f.variant();
      return new Results(
          metadata,
          new FlagEvaluation(dv, Reason.DEFAULT, variant, null, null, metadata),
          new FlagEvaluation(dv, Reason.EXPIRED, variant, null, null, metadata),
          new FlagEvaluation(Boolean.TRUE, Reason.TARGETING, variant, null, null, metadata),
          new FlagEvaluation(Boolean.TRUE, Reason.ROLLOUT, variant, null, null, metadata),
          new FlagEvaluation(
              dv,
              Reason.ERROR,
              variant,
              ErrorCode.GENERAL,
              "the targeting rule failed at run time; serving the flag's default",
              metadata));
    }
  }

  /**
   * @param bucketingVersion how rollouts and the rule's {@code fractional} bucket users ({@code
   *     Bucketing.V1}/{@code V2}/{@code V3})
   */
  NativeFlag(
      FeatureFlag f,
      Object tree,
      Rule rule,
      FlagCounters counters,
      Clock clock,
      int bucketingVersion) {
    this(
        f,
        tree,
        rule,
        counters,
        clock,
        bucketingVersion,
        Results.of(f),
        rollout(f, bucketingVersion));
  }

  private NativeFlag(
      FeatureFlag f,
      Object tree,
      Rule rule,
      FlagCounters counters,
      Clock clock,
      int bucketingVersion,
      Results results,
      Split rollout) {
    super(
        f.key(),
        f,
        tree,
        counters,
        fastShape(f, rule, results, rollout, counters),
        results.metadata());
    this.rule = rule;
    this.clock = clock;
    this.expiresAtMillis = EpochMillis.of(f.expiresAt(), Long.MAX_VALUE);
    this.environments = f.environments() == null ? null : f.environments().toArray(new String[0]);
    this.minRole = f.minRole();
    this.rollout = rollout;
    this.bucketingVersion = bucketingVersion;
    this.defaultResult = results.byDefault();
    this.expiredResult = results.expired();
    this.targetingResult = results.targeting();
    this.rolloutResult = results.rollout();
    this.errorResult = results.error();
  }

  private static Split rollout(FeatureFlag f, int bucketingVersion) {
    Double p = f.rolloutPercentage();
    return p != null && Bucketing.rolloutThreshold(p) > 0
        ? Split.rollout(f.key(), p, bucketingVersion)
        : null;
  }

  @Override
  boolean contextFree() {
    return shape == STATIC; // no expiry, environments, role, rule or rollout
  }

  /**
   * The flag's shape: no expiry, environments or role, and either no rule or one attribute compared
   * with a string literal (whose JsonLogic truthiness decides TARGETING); then the rollout, then
   * the default. Null (general) otherwise.
   */
  private static FastShape fastShape(
      FeatureFlag f, Rule rule, Results r, Split rollout, FlagCounters counters) {
    if (f.expiresAt() != null || f.environments() != null || f.minRole() != null) {
      return null;
    }
    FastShape onward =
        rollout == null
            ? FastShape.constant(r.byDefault(), counters)
            : FastShape.split(
                rollout, r.rollout(), r.byDefault(), r.byDefault(), r.byDefault(), counters);
    if (rule == null) {
      return onward;
    }
    RuleShapes.AttributeTest test = RuleShapes.attributeTest(rule);
    if (test == null || !FastShape.isCustomAttribute(test.attribute())) {
      return null;
    }
    return FastShape.attribute(
        test,
        test.truthy(true) ? r.targeting() : null,
        test.truthy(false) ? r.targeting() : null,
        onward,
        counters);
  }

  @Override
  FlagEvaluation evaluate(
      EvaluationContext context, Object callerDefault, String environment, Snapshot snapshot) {
    if (callerDefault != null && !(callerDefault instanceof Boolean)) {
      return flagError(
          callerDefault,
          ErrorCode.TYPE_MISMATCH,
          "flag '"
              + key
              + "' is boolean but the caller's default is "
              + callerDefault.getClass().getSimpleName());
    }
    if (expiresAtMillis != Long.MAX_VALUE && clock.millis() >= expiresAtMillis) {
      return expiredResult;
    }
    if (environments != null && !contains(environments, environment)) {
      return defaultResult;
    }
    if (minRole != null && !hasRole(context.userRole(), snapshot)) {
      return defaultResult;
    }
    if (rule != null) {
      ContextData data = ContextData.bind(context, key, environment, clock, bucketingVersion);
      try {
        if (rule.test(data)) {
          return targetingResult;
        }
      } catch (RuntimeException e) {
        if (ruleFailureLogged.compareAndSet(false, true)) {
          LOG.warn("Targeting rule of flag '{}' failed; serving its default (logged once)", key, e);
        }
        return errorResult;
      } finally {
        data.release();
      }
    }
    if (rollout != null) {
      String bucketingKey = context.bucketingKey();
      if (bucketingKey != null && rollout.side(bucketingKey) == Split.FIRST) {
        return rolloutResult;
      }
    }
    return defaultResult;
  }

  private boolean hasRole(String role, Snapshot snapshot) {
    if (role == null) {
      return false;
    }
    Integer need = snapshot.roleRanks.get(minRole);
    Integer have = snapshot.roleRanks.get(role);
    return need != null && have != null && have >= need;
  }

  private static boolean contains(String[] values, String value) {
    for (String v : values) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }
}
