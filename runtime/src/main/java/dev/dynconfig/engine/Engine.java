package dev.dynconfig.engine;

import dev.dynconfig.DynamicConfigException;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.ErrorCode;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.TestVariant;
import dev.dynconfig.engine.EngineIntrospection.AssignmentResult;
import dev.dynconfig.internal.json.Json;
import java.lang.reflect.Type;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of the engine behind {@link dev.dynconfig.DynamicConfig}: the current {@link
 * Snapshot} and everything answered from it (flags, A/B assignments, runtime config, overrides).
 * Internal: use {@code DynamicConfig}; this class is public only so the facade in another package
 * can reach it.
 *
 * <p>Concurrency: evaluations never lock and read the one volatile snapshot field once, so they
 * never see two versions. Only {@link SnapshotBuilder} swaps it (under its lock), after building
 * the next snapshot off to the side.
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger("dev.dynconfig");

  private final DynamicConfigOptions options;
  private final Clock clock;
  private final String environment;

  private volatile Snapshot snapshot = Snapshot.empty();

  /** Creates an engine serving nothing but code defaults until a snapshot is swapped in. */
  public Engine(DynamicConfigOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.clock = options.clock();
    this.environment = options.environment();
  }

  public DynamicConfigOptions options() {
    return options;
  }

  /** The engine's configured environment (used when a context names none). */
  String environment() {
    return environment;
  }

  /** The snapshot being served; read it once per answer. */
  Snapshot snapshot() {
    return snapshot;
  }

  /** Publishes {@code next}; called by {@link SnapshotBuilder} only, under its lock. */
  void swap(Snapshot next) {
    snapshot = next;
  }

  /**
   * Evaluates a flag. Never throws.
   *
   * @param callerDefault the caller's fallback, or null
   */
  public FlagEvaluation evaluate(String key, EvaluationContext context, Object callerDefault) {
    // Kept small on purpose (it must stay within C2's inlining limits, so it inlines into the
    // caller): for the common flag shapes it reads the few context fields it needs and never hands
    // the context to a call that might not be inlined, so a context built per request does not
    // escape and is scalar-replaced (0 B/op, see BENCHMARKS.md). Everything else is out of line.
    Snapshot s = snapshot;
    CompiledFlag flag;
    FastShape fast;
    if (key != null
        && context != null
        && !s.hasOverrides
        && (callerDefault == null || callerDefault instanceof Boolean)
        && (flag = s.byIdentity(key)) != null
        && (fast = flag.fast) != null) {
      FlagEvaluation result = fast.constant;
      if (result != null) {
        flag.counters.record(result.value());
        return result;
      }
      // A call on purpose (see FastShape.evaluate): it takes plain values, never the context.
      String name = fast.attributeName;
      result = fast.evaluate(context.bucketingKey(), name == null ? null : context.attribute(name));
      if (result != null) {
        return result;
      }
    }
    return evaluateOther(s, key, context, callerDefault);
  }

  /**
   * As {@link #evaluate} with {@code EvaluationContext.ofUser(userId)}, without building that
   * context: the flag shapes {@link #evaluate} handles inline need only the bucketing key (here the
   * user id) and a custom attribute (here absent), so they allocate nothing even when the caller
   * cannot be inlined into. Other shapes build the context. Never throws.
   */
  public FlagEvaluation evaluateForUser(String key, String userId, Object callerDefault) {
    Snapshot s = snapshot;
    CompiledFlag flag;
    FastShape fast;
    if (key != null
        && !s.hasOverrides
        && (callerDefault == null || callerDefault instanceof Boolean)
        && (flag = s.byIdentity(key)) != null
        && (fast = flag.fast) != null) {
      FlagEvaluation result = fast.constant;
      if (result != null) {
        flag.counters.record(result.value());
        return result;
      }
      result = fast.evaluate(userId, null);
      if (result != null) {
        return result;
      }
    }
    return evaluateOther(
        s,
        key,
        userId == null ? EvaluationContext.empty() : EvaluationContext.ofUser(userId),
        callerDefault);
  }

  /** Everything {@link #evaluate} does not handle inline: overrides, unknown keys, other shapes. */
  private FlagEvaluation evaluateOther(
      Snapshot s, String key, EvaluationContext context, Object callerDefault) {
    try {
      if (key == null) {
        return CompiledFlag.notFound("null", callerDefault, s.flagdDocument);
      }
      if (context == null) {
        context = EvaluationContext.empty();
      }
      CompiledFlag flag = s.flags.get(key);
      FlagEvaluation result;
      if (s.hasOverrides && (result = s.overrides.get(key)) != null) {
        // an override wins over everything, including an unknown key
      } else if (flag == null) {
        return CompiledFlag.notFound(key, callerDefault, s.flagdDocument);
      } else {
        String env = context.environment();
        result = flag.evaluate(context, callerDefault, env != null ? env : environment, s);
      }
      if (flag != null) {
        flag.counters.record(result.value());
      }
      return result;
    } catch (RuntimeException e) {
      return failed(key, callerDefault, e);
    }
  }

  private static FlagEvaluation failed(String key, Object callerDefault, RuntimeException e) {
    // Evaluation must never throw into application code.
    LOG.warn("Evaluating flag '{}' failed; serving the caller's default", key, e);
    return CompiledFlag.error(callerDefault, ErrorCode.GENERAL, "evaluation failed: " + e);
  }

  /** {@code true} iff the flag evaluates to {@link Boolean#TRUE}. Never throws. */
  public boolean isEnabled(String key, EvaluationContext context) {
    return evaluate(key, context, Boolean.FALSE).value() == Boolean.TRUE;
  }

  /** The assigned variant, or null (see {@link #explainAssignment}). Never throws. */
  public TestVariant variant(String testId, String bucketingKey, String contextEnvironment) {
    try {
      CompiledTest t = testId == null ? null : snapshot.tests.get(testId);
      if (t == null) {
        return null;
      }
      int i =
          t.assign(
              bucketingKey, contextEnvironment != null ? contextEnvironment : environment, clock);
      if (i < 0) {
        t.unassigned.increment();
        return null;
      }
      t.assignments[i].increment();
      return t.variants[i];
    } catch (RuntimeException e) {
      LOG.warn("Assigning test '{}' failed; no variant", testId, e);
      return null;
    }
  }

  /** The assignment for a context with the reason when there is none (for CLI and JMX). */
  public AssignmentResult explainAssignment(String testId, EvaluationContext context) {
    EvaluationContext c = context == null ? EvaluationContext.empty() : context;
    CompiledTest t = testId == null ? null : snapshot.tests.get(testId);
    if (t == null) {
      return new AssignmentResult(null, "no test with this id");
    }
    String env = c.environment() != null ? c.environment() : environment;
    int i = t.assign(c.bucketingKey(), env, clock);
    return i < 0
        ? new AssignmentResult(null, CompiledTest.explain(i))
        : new AssignmentResult(t.variants[i], "assigned");
  }

  public Object runtimeConfig(String namespace, String key) {
    Map<String, Object> ns = namespace == null ? null : snapshot.config.get(namespace);
    return ns == null || key == null ? null : ns.get(key);
  }

  /**
   * The value converted to {@code type} (Jackson {@code convertValue}); null when absent.
   *
   * @throws DynamicConfigException when the value cannot be converted
   */
  public Object runtimeConfig(String namespace, String key, Type type) {
    Object value = runtimeConfig(namespace, key);
    if (value == null) {
      return null;
    }
    try {
      return Json.convert(value, type);
    } catch (IllegalArgumentException e) {
      throw new DynamicConfigException(
          "runtime config "
              + namespace
              + "."
              + key
              + " = "
              + Json.render(value)
              + " cannot be converted to "
              + type.getTypeName()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  public Object getOverride(String flagKey) {
    return flagKey == null ? null : snapshot.overrideValues.get(flagKey);
  }

  /** The current overrides (unmodifiable). */
  public Map<String, Object> overrides() {
    return snapshot.overrideValues;
  }
}
