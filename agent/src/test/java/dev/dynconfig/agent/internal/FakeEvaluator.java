package dev.dynconfig.agent.internal;

import dev.dynconfig.EvaluationContext;
import dev.dynconfig.TestVariant;
import dev.dynconfig.bootstrap.ToggleConstant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** An in-memory engine: flags, per-user variant assignment and config values set by the test. */
final class FakeEvaluator implements Evaluator {
  final Map<String, Boolean> flags = new ConcurrentHashMap<>();
  final Map<String, Function<EvaluationContext, String>> tests = new ConcurrentHashMap<>();
  final Map<String, Object> config = new ConcurrentHashMap<>();

  /** Flags whose result does not depend on the context (as the real engine would tell). */
  final Set<String> contextFree = ConcurrentHashMap.newKeySet();

  /**
   * Flags whose answer the bridge may serve alone until the next swap (a subset of contextFree).
   */
  final Set<String> constant = ConcurrentHashMap.newKeySet();

  /** Calls of {@link #flag} (the dispatcher asking) and uses of constant answers (the bridge). */
  final AtomicInteger flagCalls = new AtomicInteger();

  final AtomicInteger constantUses = new AtomicInteger();

  /** Flags whose result depends on the bucketing key alone (a plain rollout). */
  final Set<String> keyedOnly = ConcurrentHashMap.newKeySet();

  volatile String lastBucketingKey;

  /** Tests the current "snapshot" does not define. */
  final Set<String> unknownTests = ConcurrentHashMap.newKeySet();

  final AtomicInteger variantCalls = new AtomicInteger();
  volatile EvaluationContext lastContext;
  volatile RuntimeException failure;
  private final List<Runnable> swapListeners = new CopyOnWriteArrayList<>();

  /** Simulates a snapshot swap: the dispatcher re-reads contextNeeds/hasTest. */
  void swap() {
    swapListeners.forEach(Runnable::run);
  }

  @Override
  public Needs contextNeeds(String flag) {
    return contextFree.contains(flag)
        ? Needs.NOTHING
        : keyedOnly.contains(flag) ? Needs.BUCKETING_KEY : Needs.EVERYTHING;
  }

  @Override
  public boolean hasTest(String test) {
    return !unknownTests.contains(test);
  }

  @Override
  public ToggleConstant toggleConstant(String flag, Boolean defaultValue) {
    if (!constant.contains(flag)) {
      return null;
    }
    return new ToggleConstant(flags.getOrDefault(flag, defaultValue)) {
      @Override
      protected void recordUse() {
        constantUses.incrementAndGet();
      }
    };
  }

  @Override
  public void onSnapshotSwap(Runnable listener) {
    swapListeners.add(listener);
  }

  @Override
  public boolean flag(String flag, EvaluationContext context, Boolean defaultValue) {
    lastContext = context;
    return answer(flag, defaultValue);
  }

  @Override
  public boolean flagForKey(String flag, String bucketingKey, Boolean defaultValue) {
    lastBucketingKey = bucketingKey;
    return answer(flag, defaultValue);
  }

  private boolean answer(String flag, Boolean defaultValue) {
    fail();
    flagCalls.incrementAndGet();
    return flags.getOrDefault(flag, defaultValue);
  }

  /**
   * Assignments see a context holding what the dispatcher passes: key (as user id), environment.
   */
  @Override
  public TestVariant variant(String test, String bucketingKey, String environment) {
    fail();
    EvaluationContext context = EvaluationContext.of(bucketingKey, null, environment, null, null);
    variantCalls.incrementAndGet();
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
