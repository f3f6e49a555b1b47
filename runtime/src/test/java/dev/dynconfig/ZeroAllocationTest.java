package dev.dynconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hot path allocates nothing: measured with the JVM's per-thread allocation counter after
 * warm-up (so the JIT has compiled and escape-analysed the path). Not a timing test.
 */
class ZeroAllocationTest {
  static final String DOC =
      Docs.q(
          """
          {'flags': [
            {'key': 'static', 'defaultValue': true},
            {'key': 'rollout', 'rolloutPercentage': 50},
            {'key': 'rule', 'targeting': {'==': [{'var': 'plan'}, 'premium']}}
          ]}
          """);

  @Test
  void evaluatingStaticRolloutAndRuleFlags_allocatesNothing() {
    DynamicConfig config = DynamicConfig.create(DynamicConfigOptions.defaults());
    Docs.load(config, DOC);
    EvaluationContext ctx =
        EvaluationContext.builder().userId("user-42").attribute("plan", "premium").build();
    assertThat(bytesAllocatedBy(c -> run(config, c), ctx))
        .as("bytes allocated by 100,000 x 4 evaluations")
        .isZero();
  }

  @ParameterizedTest
  @EnumSource(
      value = BucketingVersion.class,
      names = {"V1", "V3"})
  void otherBucketingVersions_rolloutAndFractional_allocateNothing(BucketingVersion version) {
    DynamicConfig config =
        DynamicConfig.create(DynamicConfigOptions.builder().bucketing(version).build());
    Docs.load(config, DOC);
    DynamicConfig flagd =
        DynamicConfig.create(DynamicConfigOptions.builder().bucketing(version).build());
    Docs.load(
        flagd,
        Docs.q(
            """
            {'flags': {'split': {'state': 'ENABLED', 'variants': {'a': 1, 'b': 2},
               'defaultVariant': 'a', 'targeting': {'fractional': [['a', 30], ['b', 70]]}}}}
            """));
    EvaluationContext ctx =
        EvaluationContext.builder().userId("user-42").attribute("plan", "premium").build();
    Long fallback = 0L;
    assertThat(
            bytesAllocatedBy(
                c ->
                    run(config, c)
                        + (flagd.evaluateFlag("split", c, fallback).value() == fallback ? 0 : 1),
                ctx))
        .as("bytes allocated by 100,000 x 5 evaluations")
        .isZero();
  }

  /** Warms up, then the fewest bytes 100,000 calls allocated in one of five rounds. */
  private static long bytesAllocatedBy(
      ToIntFunction<EvaluationContext> calls, EvaluationContext ctx) {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(
        bean instanceof com.sun.management.ThreadMXBean b && b.isThreadAllocatedMemorySupported(),
        "this JVM cannot measure per-thread allocation");
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
    long sink = 0;
    // Warm up until the JIT has compiled the path; then measure in rounds and take the minimum,
    // because the counter itself or a late compilation can add a few bytes once.
    for (int i = 0; i < 200_000; i++) {
      sink += calls.applyAsInt(ctx);
    }
    long best = Long.MAX_VALUE;
    long tid = Thread.currentThread().getId();
    for (int round = 0; round < 5; round++) {
      long before = mx.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 100_000; i++) {
        sink += calls.applyAsInt(ctx);
      }
      best = Math.min(best, mx.getThreadAllocatedBytes(tid) - before);
    }
    assertThat(sink).isPositive();
    return best;
  }

  private static int run(DynamicConfig config, EvaluationContext ctx) {
    int n = 0;
    n += config.isFlagEnabled("static", ctx) ? 1 : 0;
    n += config.isFlagEnabled("rollout", ctx) ? 1 : 0;
    n += config.isFlagEnabled("rule", ctx) ? 1 : 0;
    n += config.evaluateFlag("rule", ctx).reason() == Reason.TARGETING ? 1 : 0;
    return n;
  }
}
