package dev.dynconfig.agent.internal;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.FeatureFlag;
import dev.dynconfig.TestVariant;
import dev.dynconfig.bootstrap.ToggleConstant;
import dev.dynconfig.document.FlagdFlag;
import dev.dynconfig.engine.ConstantResult;

/**
 * The engine questions the rewritten methods ask. {@link #of(DynamicConfig)} adapts the engine;
 * tests use fakes so the rewriting can be verified without an engine.
 *
 * <p>{@link #needsContext}, {@link #hasTest} and {@link #describeSnapshot} are asked once per site
 * and snapshot swap (never per call); {@link #onSnapshotSwap} tells the dispatcher when to ask
 * again.
 */
interface Evaluator {

  /** Whether {@code flag} is on for {@code context}; {@code defaultValue} while it is undefined. */
  boolean flag(String flag, EvaluationContext context, Boolean defaultValue);

  /** The assigned variant of {@code test}, or null. */
  TestVariant variant(String test, EvaluationContext context);

  /** The raw runtime-config value (JSON value), or null when absent. */
  Object config(String namespace, String key);

  /**
   * Whether the flag's result in the current snapshot may depend on the evaluation context. False
   * for an override, an unknown flag (the code default) and a flag without targeting, rollout,
   * environments or minimum role. Conservative: true when unsure.
   */
  default boolean needsContext(String flag) {
    return true;
  }

  /** Whether the current snapshot defines {@code test}. */
  default boolean hasTest(String test) {
    return true;
  }

  /** The current snapshot for log lines, e.g. {@code version 7}. */
  default String describeSnapshot() {
    return "the current configuration";
  }

  /**
   * The {@code @Toggle} answer for {@code flag} if, in the current snapshot, it is the same for
   * every call (see {@link dev.dynconfig.engine.ConstantResult}); null when it may vary per call.
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
      public TestVariant variant(String test, EvaluationContext context) {
        return engine.getVariant(test, context);
      }

      @Override
      public Object config(String namespace, String key) {
        return engine.getRuntimeConfig(namespace, key);
      }

      @Override
      public boolean needsContext(String flag) {
        if (engine.getOverrides().containsKey(flag)) {
          return false;
        }
        Object definition = engine.introspection().flagDefinition(flag);
        if (definition == null) {
          return false; // not defined by any source: the annotation's default, whoever asks
        }
        if (definition instanceof FeatureFlag f) {
          // Expiry depends on the clock, not the context: the engine still checks it per call.
          return f.targeting() != null
              || f.environments() != null
              || f.minRole() != null
              || (f.rolloutPercentage() != null && f.rolloutPercentage() > 0);
        }
        if (definition instanceof FlagdFlag f) {
          return f.targeting() != null;
        }
        return true;
      }

      @Override
      public ToggleConstant toggleConstant(String flag, Boolean defaultValue) {
        ConstantResult constant = engine.introspection().constantResult(flag, defaultValue);
        return constant == null ? null : new EngineToggleConstant(constant);
      }

      @Override
      public boolean hasTest(String test) {
        return engine.introspection().test(test) != null;
      }

      @Override
      public String describeSnapshot() {
        long v = engine.introspection().version();
        return v < 0 ? "no configuration loaded yet" : "configuration version " + v;
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
