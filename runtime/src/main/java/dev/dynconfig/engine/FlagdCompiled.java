package dev.dynconfig.engine;

import dev.dynconfig.ErrorCode;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.Reason;
import dev.dynconfig.document.FlagdFlag;
import dev.dynconfig.document.FlagdFlag.VariantType;
import dev.dynconfig.document.Json;
import dev.dynconfig.rules.Rule;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A flagd flag with flagd's semantics: DISABLED serves the caller's default; no targeting serves
 * the default variant (STATIC); a targeting result names the variant (TARGETING_MATCH), null falls
 * back to the default variant (DEFAULT), an unknown name is an error (GENERAL); without a default
 * variant the caller's default is served.
 */
final class FlagdCompiled extends CompiledFlag {
  private static final Logger LOG = LoggerFactory.getLogger(FlagdCompiled.class);
  private static final FlagEvaluation DISABLED_NULL = disabled(null);
  private static final FlagEvaluation DISABLED_FALSE = disabled(Boolean.FALSE);
  private static final FlagEvaluation DISABLED_TRUE = disabled(Boolean.TRUE);
  private static final FlagEvaluation NO_DEFAULT_NULL = noDefault(null);
  private static final FlagEvaluation NO_DEFAULT_FALSE = noDefault(Boolean.FALSE);
  private static final FlagEvaluation NO_DEFAULT_TRUE = noDefault(Boolean.TRUE);

  /** The results one variant can produce. */
  private record VariantResults(
      FlagEvaluation staticResult, FlagEvaluation match, FlagEvaluation byDefault) {}

  private final boolean enabled;
  private final VariantType type;
  private final Rule rule;
  private final Clock clock;
  private final Map<String, VariantResults> variants = new HashMap<>();
  private final VariantResults defaultVariant;
  private final FlagEvaluation typeMismatchFalse;
  private final AtomicBoolean ruleFailureLogged = new AtomicBoolean();

  FlagdCompiled(FlagdFlag f, Object tree, Rule rule, FlagCounters counters, Clock clock) {
    super(f.key(), f, tree, counters, GENERAL);
    this.enabled = f.enabled();
    this.type = f.type();
    this.rule = rule;
    this.clock = clock;
    for (Map.Entry<String, Object> e : f.variants().entrySet()) {
      String name = e.getKey();
      Object value = e.getValue();
      variants.put(
          name,
          new VariantResults(
              new FlagEvaluation(value, Reason.STATIC, name, null, null),
              new FlagEvaluation(value, Reason.TARGETING_MATCH, name, null, null),
              new FlagEvaluation(value, Reason.DEFAULT, name, null, null)));
    }
    this.defaultVariant = f.defaultVariant() == null ? null : variants.get(f.defaultVariant());
    this.typeMismatchFalse = typeMismatch(Boolean.FALSE);
  }

  @Override
  boolean contextFree() {
    return rule == null || !enabled; // flagd flags have no expiry; the rule is all that varies
  }

  @Override
  FlagEvaluation evaluate(
      EvaluationContext context, Object callerDefault, String environment, Snapshot snapshot) {
    if (!enabled) {
      return callerDefault == null
          ? DISABLED_NULL
          : callerDefault == Boolean.FALSE
              ? DISABLED_FALSE
              : callerDefault == Boolean.TRUE ? DISABLED_TRUE : disabled(callerDefault);
    }
    if (callerDefault != null && VariantType.of(callerDefault) != type) {
      return callerDefault == Boolean.FALSE ? typeMismatchFalse : typeMismatch(callerDefault);
    }
    if (rule == null) {
      return defaultVariant != null
          ? defaultVariant.staticResult()
          : noDefaultResult(callerDefault);
    }
    Object result;
    ContextData data = ContextData.bind(context, key, environment, clock);
    try {
      result = rule.evaluate(data);
    } catch (RuntimeException e) {
      if (ruleFailureLogged.compareAndSet(false, true)) {
        LOG.warn(
            "Targeting rule of flag '{}' failed; serving the caller's default (logged once)",
            key,
            e);
      }
      return CompiledFlag.error(callerDefault, ErrorCode.GENERAL, "targeting rule failed: " + e);
    } finally {
      data.release();
    }
    if (result == null) {
      return defaultVariant != null ? defaultVariant.byDefault() : noDefaultResult(callerDefault);
    }
    String name;
    if (result instanceof String s) {
      name = s;
    } else if (result instanceof Boolean b) {
      // flagd matches boolean rule results against variants named "true"/"false".
      name = b ? "true" : "false";
    } else {
      return CompiledFlag.error(
          callerDefault,
          ErrorCode.GENERAL,
          "targeting of flag '"
              + key
              + "' returned "
              + Json.render(result)
              + ", not a variant name");
    }
    VariantResults chosen = variants.get(name);
    if (chosen == null) {
      return CompiledFlag.error(
          callerDefault,
          ErrorCode.GENERAL,
          "targeting of flag '"
              + key
              + "' chose variant \""
              + name
              + "\", which the flag does not define");
    }
    return chosen.match();
  }

  private static FlagEvaluation noDefaultResult(Object callerDefault) {
    if (callerDefault == null) {
      return NO_DEFAULT_NULL;
    }
    if (callerDefault == Boolean.FALSE) {
      return NO_DEFAULT_FALSE;
    }
    if (callerDefault == Boolean.TRUE) {
      return NO_DEFAULT_TRUE;
    }
    return noDefault(callerDefault);
  }

  private FlagEvaluation typeMismatch(Object callerDefault) {
    return CompiledFlag.error(
        callerDefault,
        ErrorCode.TYPE_MISMATCH,
        "flag '"
            + key
            + "' has "
            + type.label()
            + " variants but the caller's default is "
            + callerDefault.getClass().getSimpleName());
  }

  private static FlagEvaluation disabled(Object callerDefault) {
    return new FlagEvaluation(callerDefault, Reason.DISABLED, null, null, null);
  }

  private static FlagEvaluation noDefault(Object callerDefault) {
    return new FlagEvaluation(callerDefault, Reason.DEFAULT, null, null, null);
  }
}
