package dev.dynconfig.internal.engine;

import dev.dynconfig.EvaluationContext;
import dev.dynconfig.internal.rules.RuleData;
import java.time.Clock;
import java.util.Map;

/**
 * {@link RuleData} over an {@link EvaluationContext} without copying it: one reusable instance per
 * thread, bound for the duration of one rule evaluation. Only {@code $flagd} needs a map, built
 * lazily when a rule asks for it.
 */
final class ContextData implements RuleData {
  private static final ThreadLocal<ContextData> PER_THREAD =
      ThreadLocal.withInitial(ContextData::new);

  private EvaluationContext context;
  private String flagKey;
  private String environment;
  private Clock clock;
  private Map<String, Object> flagd;
  private int bucketingVersion;

  /**
   * Binds the calling thread's instance (or a fresh one if it is already in use).
   *
   * @param bucketingVersion what {@code fractional} uses ({@link
   *     dev.dynconfig.internal.rules.Bucketing#V1} or {@code V2})
   */
  static ContextData bind(
      EvaluationContext context,
      String flagKey,
      String environment,
      Clock clock,
      int bucketingVersion) {
    ContextData d = PER_THREAD.get();
    if (d.context != null) {
      // Re-entrant evaluation on this thread (e.g. from a listener inside a rule): don't clobber.
      d = new ContextData();
    }
    d.context = context;
    d.flagKey = flagKey;
    d.environment = environment;
    d.clock = clock;
    d.bucketingVersion = bucketingVersion;
    return d;
  }

  /** Drops the references so the thread does not keep the caller's context alive. */
  void release() {
    context = null;
    flagd = null;
    clock = null;
  }

  @Override
  public Object get(String name) {
    EvaluationContext c = context;
    Object builtIn = null;
    switch (name) {
      case "targetingKey":
        builtIn = c.bucketingKey();
        break;
      case "userId":
        builtIn = c.userId();
        break;
      case "sessionId":
        builtIn = c.sessionId();
        break;
      case "environment":
        builtIn = environment;
        break;
      case "userRole":
        builtIn = c.userRole();
        break;
      case "$flagd":
        return flagd();
      default:
        break;
    }
    if (builtIn != null) {
      return builtIn;
    }
    Object v = c.attribute(name);
    if (v == null && !c.hasAttribute(name)) {
      return MISSING;
    }
    return v;
  }

  private Map<String, Object> flagd() {
    if (flagd == null) {
      flagd = Map.of("flagKey", flagKey, "timestamp", clock.millis() / 1000L);
    }
    return flagd;
  }

  @Override
  public int bucketingVersion() {
    return bucketingVersion;
  }

  @Override
  public String flagKey() {
    return flagKey;
  }

  @Override
  public String targetingKey() {
    return context.bucketingKey();
  }
}
