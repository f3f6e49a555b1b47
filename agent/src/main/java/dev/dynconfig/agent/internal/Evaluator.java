package dev.dynconfig.agent.internal;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.TestVariant;
import dev.dynconfig.bootstrap.ToggleConstant;
import dev.dynconfig.internal.engine.ConstantResult;

/**
 * The engine questions the rewritten methods ask. {@link #of(DynamicConfig)} adapts the engine;
 * tests use fakes so the rewriting can be verified without an engine.
 *
 * <p>{@link #contextNeeds}, {@link #hasTest} and {@link #describeSnapshot} are asked once per site
 * and snapshot swap (never per call); {@link #onSnapshotSwap} tells the dispatcher when to ask
 * again.
 */
interface Evaluator {

  /** Whether {@code flag} is on for {@code context}; {@code defaultValue} while it is undefined. */
  boolean flag(String flag, EvaluationContext context, Boolean defaultValue);

  /**
   * Whether the flag is on for a context holding only this bucketing key; for flags whose result
   * depends on nothing else ({@link Needs#BUCKETING_KEY}). Allocation-free for a plain rollout.
   */
  boolean flagForKey(String flag, String bucketingKey, Boolean defaultValue);

  /**
   * The assigned variant of {@code test} for this bucketing key and environment (all an assignment
   * depends on), or null.
   */
  TestVariant variant(String test, String bucketingKey, String environment);

  /** The raw runtime-config value (JSON value), or null when absent. */
  Object config(String namespace, String key);

  /** What of the evaluation context a flag's result may depend on, in one snapshot. */
  enum Needs {
    /**
     * Nothing: an override, an unknown flag (the code default), a flag without any condition
     * ({@link dev.dynconfig.internal.engine.ContextNeeds.Need#NOTHING}).
     */
    NOTHING,
    /** Only the bucketing key (user id, else session id): a rollout without other conditions. */
    BUCKETING_KEY,
    /** Anything: targeting, environments, minimum role, expiry, or not known. */
    EVERYTHING
  }

  /** What the flag's result may depend on in the current snapshot; EVERYTHING when unsure. */
  default Needs contextNeeds(String flag) {
    return Needs.EVERYTHING;
  }

  /** The kinds of keys a site refers to. */
  enum KeyKind {
    FLAG,
    TEST,
    /** {@code namespace.key} of a runtime-config value. */
    CONFIG
  }

  /** Whether the current snapshot defines {@code flag} (or an override sets it). */
  default boolean hasFlag(String flag) {
    return true;
  }

  /** Whether any configuration has been loaded (before that, every key is missing). */
  default boolean hasConfiguration() {
    return true;
  }

  /** The keys of this kind in the current snapshot, for "closest existing key" suggestions. */
  default java.util.Collection<String> knownKeys(KeyKind kind) {
    return java.util.List.of();
  }

  /**
   * Whether the flag's result depends on a bucketing key (a rollout), so that a call without one is
   * anonymous; asked once per site and snapshot swap.
   */
  default boolean usesBucketing(String flag) {
    return false;
  }

  /** Whether the current snapshot defines {@code test}. */
  default boolean hasTest(String test) {
    return true;
  }

  /**
   * The current snapshot for log lines ("not defined in …"), e.g. {@code configuration version 7};
   * null while no configuration has been loaded.
   */
  default String describeSnapshot() {
    return "the current configuration";
  }

  /**
   * The {@code @Toggle} answer for {@code flag} if, in the current snapshot, it is the same for
   * every call (see {@link dev.dynconfig.internal.engine.ConstantResult}); null when it may vary
   * per call.
   */
  default ToggleConstant toggleConstant(String flag, Boolean defaultValue) {
    return null;
  }

  /** Calls {@code listener} after every snapshot swap (document, override or config change). */
  default void onSnapshotSwap(Runnable listener) {}

  static Evaluator of(DynamicConfig engine) {
    return new Evaluator() {
      @Override
      public boolean flag(String flag, EvaluationContext context, Boolean defaultValue) {
        return engine.evaluateFlag(flag, context, defaultValue).enabled();
      }

      @Override
      public boolean flagForKey(String flag, String bucketingKey, Boolean defaultValue) {
        return engine.evaluateFlagForUser(flag, bucketingKey, defaultValue).enabled();
      }

      @Override
      public TestVariant variant(String test, String bucketingKey, String environment) {
        return environment == null
            ? engine.getVariant(test, bucketingKey)
            : engine.getVariant(
                test, EvaluationContext.of(bucketingKey, null, environment, null, null));
      }

      @Override
      public Object config(String namespace, String key) {
        return engine.getRuntimeConfig(namespace, key);
      }

      @Override
      public Needs contextNeeds(String flag) {
        return switch (engine.introspection().contextNeeds(flag, null).need()) {
          case NOTHING -> Needs.NOTHING;
          case BUCKETING_KEY -> Needs.BUCKETING_KEY;
          case FULL_CONTEXT -> Needs.EVERYTHING;
        };
      }

      @Override
      public ToggleConstant toggleConstant(String flag, Boolean defaultValue) {
        ConstantResult constant =
            engine.introspection().contextNeeds(flag, defaultValue).constant();
        return constant == null ? null : new EngineToggleConstant(constant);
      }

      @Override
      public boolean hasFlag(String flag) {
        return engine.introspection().contextNeeds(flag, null).defined();
      }

      @Override
      public boolean hasConfiguration() {
        return engine.introspection().version() >= 0;
      }

      @Override
      public java.util.Collection<String> knownKeys(KeyKind kind) {
        return switch (kind) {
          case FLAG -> engine.introspection().flagKeys();
          case TEST -> engine.introspection().testIds();
          case CONFIG -> {
            java.util.List<String> keys = new java.util.ArrayList<>();
            dev.dynconfig.internal.document.Document d = engine.introspection().document();
            if (d != null) {
              d.config()
                  .forEach((ns, values) -> values.keySet().forEach(k -> keys.add(ns + "." + k)));
            }
            yield keys;
          }
        };
      }

      @Override
      public boolean usesBucketing(String flag) {
        return engine.introspection().contextNeeds(flag, null).bucketed();
      }

      @Override
      public boolean hasTest(String test) {
        return engine.introspection().test(test) != null;
      }

      @Override
      public String describeSnapshot() {
        long v = engine.introspection().version();
        return v < 0 ? null : "configuration version " + v;
      }

      @Override
      public void onSnapshotSwap(Runnable listener) {
        engine.introspection().subscribeToSnapshots(info -> listener.run());
      }
    };
  }

  /** An engine's constant result as the bridge serves it; uses are counted by the engine. */
  final class EngineToggleConstant extends ToggleConstant {
    private final ConstantResult result;

    EngineToggleConstant(ConstantResult result) {
      super(result.result().enabled());
      this.result = result;
    }

    @Override
    protected void recordUse() {
      result.recordUse();
    }
  }
}
