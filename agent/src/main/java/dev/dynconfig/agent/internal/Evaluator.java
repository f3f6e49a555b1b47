package dev.dynconfig.agent.internal;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.TestVariant;

/**
 * The three engine questions the rewritten methods ask. {@link #of(DynamicConfig)} adapts the
 * engine; tests use fakes so the rewriting can be verified without an engine.
 */
interface Evaluator {

  /** Whether {@code flag} is on for {@code context}; {@code defaultValue} while it is undefined. */
  boolean flag(String flag, EvaluationContext context, Boolean defaultValue);

  /** The assigned variant of {@code test}, or null. */
  TestVariant variant(String test, EvaluationContext context);

  /** The raw runtime-config value (JSON value), or null when absent. */
  Object config(String namespace, String key);

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
    };
  }
}
