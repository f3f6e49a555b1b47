package dev.dynconfig.engine;

import dev.dynconfig.ErrorCode;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.FeatureFlag;
import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.Reason;
import dev.dynconfig.internal.rules.Bucketing;
import dev.dynconfig.internal.rules.Rule;
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

  /** The hash state after the flag key: each evaluation hashes only the bucketing key. */
  private final Bucketing.Prefix rolloutPrefix;

  /** Bucketing v1 (legacy): the rollout percentage the bucket must be below; NaN under v2. */
  private final float legacyRolloutPercent;

  private final int bucketingVersion;

  private final Clock clock;
  private final AtomicBoolean ruleFailureLogged = new AtomicBoolean();

  private final FlagEvaluation defaultResult;
  private final FlagEvaluation expiredResult;
  private final FlagEvaluation targetingResult;
  private final FlagEvaluation rolloutResult;
  private final FlagEvaluation errorResult;

  /** For {@link #ATTRIBUTE_EQUALS}: the attribute's name and the string it must equal. */
  final String attributeName;

  private final String attributeLiteral;

  /**
   * @param bucketingVersion how rollouts and the rule's {@code fractional} bucket users ({@code
   *     Bucketing.V1}/{@code V2})
   */
  NativeFlag(
      FeatureFlag f,
      Object tree,
      Rule rule,
      FlagCounters counters,
      Clock clock,
      int bucketingVersion) {
    super(f.key(), f, tree, counters, shapeOf(f, rule), FlagMetadata.ofNative(f.metadata()));
    String[] equality = shape == ATTRIBUTE_EQUALS ? attributeEquality(f.targeting()) : null;
    // Interned: the context's attribute name is usually a literal, so it matches by identity.
    this.attributeName = equality == null ? null : equality[0].intern();
    this.attributeLiteral = equality == null ? null : equality[1];
    this.rule = rule;
    this.clock = clock;
    this.expiresAtMillis = EpochMillis.of(f.expiresAt(), Long.MAX_VALUE);
    this.environments = f.environments() == null ? null : f.environments().toArray(new String[0]);
    this.minRole = f.minRole();
    this.rolloutThreshold =
        f.rolloutPercentage() == null ? -1 : Bucketing.rolloutThreshold(f.rolloutPercentage());
    this.rolloutPrefix = rolloutThreshold > 0 ? Bucketing.prefix(key) : null;
    this.bucketingVersion = bucketingVersion;
    // v1: inside iff the float bucket is below p; 100 % admits even the bucket that is exactly 100.
    this.legacyRolloutPercent =
        bucketingVersion != Bucketing.V1 || rolloutThreshold <= 0
            ? Float.NaN
            : f.rolloutPercentage() >= 100
                ? Float.POSITIVE_INFINITY
                : f.rolloutPercentage().floatValue();
    Boolean dv = f.defaultValue();
    String variant = f.variant();
    this.defaultResult = new FlagEvaluation(dv, Reason.DEFAULT, variant, null, null, metadata);
    this.expiredResult = new FlagEvaluation(dv, Reason.EXPIRED, variant, null, null, metadata);
    this.targetingResult =
        new FlagEvaluation(Boolean.TRUE, Reason.TARGETING, variant, null, null, metadata);
    this.rolloutResult =
        new FlagEvaluation(Boolean.TRUE, Reason.ROLLOUT, variant, null, null, metadata);
    this.errorResult =
        new FlagEvaluation(
            dv,
            Reason.ERROR,
            variant,
            ErrorCode.GENERAL,
            "the targeting rule failed at run time; serving the flag's default",
            metadata);
  }

  @Override
  boolean contextFree() {
    return shape == STATIC; // no expiry, environments, role, rule or rollout
  }

  private static int shapeOf(FeatureFlag f, Rule rule) {
    if (f.expiresAt() != null || f.environments() != null || f.minRole() != null) {
      return GENERAL;
    }
    if (rule != null) {
      return attributeEquality(f.targeting()) != null ? ATTRIBUTE_EQUALS : GENERAL;
    }
    return f.rolloutPercentage() != null && Bucketing.rolloutThreshold(f.rolloutPercentage()) > 0
        ? ROLLOUT
        : STATIC;
  }

  /**
   * {name, literal} when the targeting is exactly {@code {"==" or "===": [{"var": name},
   * "literal"]}} (either order) with a plain custom-attribute name; else null. For such a rule and
   * a String (or absent/null) attribute value, JsonLogic's result is {@code literal.equals(value)};
   * other value types go through the compiled rule, so the semantics stay exactly JsonLogic's.
   */
  static String[] attributeEquality(Object targeting) {
    if (!(targeting instanceof java.util.Map<?, ?> m) || m.size() != 1) {
      return null;
    }
    Object args = m.containsKey("==") ? m.get("==") : m.get("===");
    if (!(args instanceof java.util.List<?> l) || l.size() != 2) {
      return null;
    }
    String name = varName(l.get(0));
    Object literal = l.get(1);
    if (name == null) {
      name = varName(l.get(1));
      literal = l.get(0);
    }
    return name != null && literal instanceof String s ? new String[] {name, s} : null;
  }

  private static String varName(Object node) {
    if (!(node instanceof java.util.Map<?, ?> m) || m.size() != 1) {
      return null;
    }
    Object path = m.get("var");
    if (path instanceof java.util.List<?> l && l.size() == 1) {
      path = l.get(0);
    }
    if (!(path instanceof String name) || name.isEmpty() || name.indexOf('.') >= 0) {
      return null;
    }
    switch (name) {
      case "targetingKey":
      case "userId":
      case "sessionId":
      case "environment":
      case "userRole":
      case "$flagd":
        return null; // built-in names resolve through ContextData, not the attributes
      default:
        return name;
    }
  }

  /** {@link #STATIC}: the default result. */
  FlagEvaluation staticResult() {
    return defaultResult;
  }

  /**
   * The result for the fast shapes ({@link #STATIC}, {@link #ROLLOUT}, {@link #ATTRIBUTE_EQUALS}),
   * given the context's bucketing key and the value of {@link #attributeName} (null when it has
   * none); null when the attribute value is neither a String nor null, for which JsonLogic's loose
   * equality needs the general path. Takes plain values, never the context, so the context does not
   * escape.
   */
  FlagEvaluation evaluateFast(String bucketingKey, Object attribute) {
    if (attributeLiteral != null) {
      if (attribute instanceof String) {
        if (attributeLiteral.equals(attribute)) {
          return targetingResult;
        }
      } else if (attribute != null) {
        return null;
      }
    }
    if (rolloutThreshold > 0 && bucketingKey != null && inRollout(bucketingKey)) {
      return rolloutResult;
    }
    return defaultResult;
  }

  /** Whether the bucketing key falls inside the rollout (which is above 0 %). */
  private boolean inRollout(String bucketingKey) {
    long h =
        bucketingVersion == Bucketing.V3
            ? Bucketing.hashCborPair(key, bucketingKey)
            : Bucketing.hash(rolloutPrefix, bucketingKey);
    float legacy = legacyRolloutPercent;
    return Float.isNaN(legacy) ? h < rolloutThreshold : Bucketing.legacyBucket(h) < legacy;
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
    if (rolloutThreshold > 0) {
      String bucketingKey = context.bucketingKey();
      if (bucketingKey != null && inRollout(bucketingKey)) {
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
