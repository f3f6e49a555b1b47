package dev.dynconfig.engine;

import dev.dynconfig.ErrorCode;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.FeatureFlag;
import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.Reason;
import dev.dynconfig.rules.Bucketing;
import dev.dynconfig.rules.Rule;
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
  private final long rolloutThreshold;
  private final Clock clock;
  private final AtomicBoolean ruleFailureLogged = new AtomicBoolean();

  private final FlagEvaluation defaultResult;
  private final FlagEvaluation expiredResult;
  private final FlagEvaluation targetingResult;
  private final FlagEvaluation rolloutResult;
  private final FlagEvaluation errorResult;

  NativeFlag(FeatureFlag f, Object tree, Rule rule, FlagCounters counters, Clock clock) {
    super(f.key(), f, tree, counters);
    this.rule = rule;
    this.clock = clock;
    this.expiresAtMillis = f.expiresAt() == null ? Long.MAX_VALUE : f.expiresAt().toEpochMilli();
    this.environments = f.environments() == null ? null : f.environments().toArray(new String[0]);
    this.minRole = f.minRole();
    this.rolloutThreshold =
        f.rolloutPercentage() == null ? -1 : Bucketing.rolloutThreshold(f.rolloutPercentage());
    Boolean dv = f.defaultValue();
    String variant = f.variant();
    this.defaultResult = new FlagEvaluation(dv, Reason.DEFAULT, variant, null, null);
    this.expiredResult = new FlagEvaluation(dv, Reason.EXPIRED, variant, null, null);
    this.targetingResult = new FlagEvaluation(Boolean.TRUE, Reason.TARGETING, variant, null, null);
    this.rolloutResult = new FlagEvaluation(Boolean.TRUE, Reason.ROLLOUT, variant, null, null);
    this.errorResult =
        new FlagEvaluation(
            dv,
            Reason.ERROR,
            variant,
            ErrorCode.GENERAL,
            "the targeting rule failed at run time; serving the flag's default");
  }

  @Override
  FlagEvaluation evaluate(
      EvaluationContext context, Object callerDefault, String environment, Snapshot snapshot) {
    if (callerDefault != null && !(callerDefault instanceof Boolean)) {
      return CompiledFlag.error(
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
      ContextData data = ContextData.bind(context, key, environment, clock);
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
    if (rolloutThreshold > 0) {
      String bucketingKey = context.bucketingKey();
      if (bucketingKey != null && Bucketing.hash(key, bucketingKey) < rolloutThreshold) {
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
