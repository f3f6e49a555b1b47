package dev.dynconfig.agent.internal;

import dev.dynconfig.EvaluationContext;
import dev.dynconfig.TestVariant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** An in-memory engine: flags, per-user variant assignment and config values set by the test. */
final class FakeEvaluator implements Evaluator {
  final Map<String, Boolean> flags = new ConcurrentHashMap<>();
  final Map<String, Function<EvaluationContext, String>> tests = new ConcurrentHashMap<>();
  final Map<String, Object> config = new ConcurrentHashMap<>();
  volatile EvaluationContext lastContext;
  volatile RuntimeException failure;

  @Override
  public boolean flag(String flag, EvaluationContext context, Boolean defaultValue) {
    fail();
    lastContext = context;
    return flags.getOrDefault(flag, defaultValue);
  }

  @Override
  public TestVariant variant(String test, EvaluationContext context) {
    fail();
    lastContext = context;
    Function<EvaluationContext, String> assign = tests.get(test);
    String id = assign == null ? null : assign.apply(context);
    return id == null ? null : new TestVariant(id, id, id.equals("control"), Map.of());
  }

  @Override
  public Object config(String namespace, String key) {
    fail();
    return config.get(namespace + "." + key);
  }

  private void fail() {
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
  }
}
