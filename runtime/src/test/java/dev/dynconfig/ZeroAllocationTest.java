package dev.dynconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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

  /** The flags of {@link #DOC} in flagd's format: the same three shapes. */
  static final String FLAGD_DOC =
      Docs.q(
          """
          {'flags': {
            'static': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'on'},
            'rollout': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off', 'targeting': {'fractional': [['on', 50], ['off', 50]]}},
            'rule': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off',
              'targeting': {'if': [{'==': [{'var': 'plan'}, 'premium']}, 'on', 'off']}}
          }}
          """);

  @ParameterizedTest
  @EnumSource(BucketingVersion.class)
  void flagdStaticRolloutAndRuleFlags_allocateNothing(BucketingVersion version) {
    DynamicConfig flagd =
        DynamicConfig.create(DynamicConfigOptions.builder().bucketing(version).build());
    Docs.load(flagd, FLAGD_DOC);
    EvaluationContext ctx =
        EvaluationContext.builder().targetingKey("user-42").attribute("plan", "premium").build();
    assertThat(bytesAllocatedBy(c -> run(flagd, c), ctx))
        .as("bytes allocated by 100,000 x 4 evaluations")
        .isZero();
  }

  /**
   * What a request handler does: a context built per call with the builder, evaluated on native and
   * flagd flags of every inline shape. Before that, the engine's evaluation is compiled on its own
   * with all of those shapes in its profile (as in an application, and in the benchmark forks that
   * used to allocate 48 B/op): the context must still not be allocated, which needs the evaluation
   * to stay small enough to be inlined into the caller whatever its profile. In a fresh JVM,
   * because the JIT's profile of the evaluation is shared by every caller in a JVM: in this one,
   * other tests have sent general-shape flags through it, and a context that may reach the general
   * path (which hands it to the rule) is allocated.
   */
  @Test
  void contextsBuiltPerCall_allocateNothing_forNativeAndFlagdFlags() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PerCallContexts.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(output).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output.strip().lines().reduce((first, last) -> last).orElse(""))
        .as("bytes allocated by 100,000 x 6 evaluations, each call on a context built for it")
        .isEqualTo("allocated 0");
  }

  /** Run in a fresh JVM by the test above; prints {@code allocated <bytes>} last. */
  static final class PerCallContexts {
    public static void main(String[] args) {
      DynamicConfig nativeFormat = DynamicConfig.create(DynamicConfigOptions.defaults());
      Docs.load(nativeFormat, DOC);
      DynamicConfig flagd = DynamicConfig.create(DynamicConfigOptions.defaults());
      Docs.load(flagd, FLAGD_DOC);
      String[] users = new String[1024];
      String[] plans = new String[1024];
      for (int i = 0; i < users.length; i++) {
        users[i] =
            java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)}).toString();
        plans[i] = i % 2 == 0 ? "premium" : "free";
      }
      EvaluationContext prebuilt =
          EvaluationContext.builder().userId("u").attribute("plan", "premium").build();
      long sink = 0;
      for (int i = 0; i < 300_000; i++) {
        sink += run(nativeFormat, prebuilt) + run(flagd, prebuilt);
      }
      int[] cursor = {0};
      ToIntFunction<EvaluationContext> perCall =
          ignored -> {
            int i = cursor[0]++ & 1023;
            EvaluationContext c =
                EvaluationContext.builder()
                    .targetingKey(users[i])
                    .attribute("plan", plans[i])
                    .build();
            // Evaluated here, not in a shared helper: the caller's own method must stay small
            // enough for the JIT to inline what it calls, or its context escapes (as in any code).
            int n = nativeFormat.isFlagEnabled("static", c) ? 1 : 0;
            n += nativeFormat.isFlagEnabled("rollout", c) ? 1 : 0;
            n += nativeFormat.isFlagEnabled("rule", c) ? 1 : 0;
            n += flagd.isFlagEnabled("static", c) ? 1 : 0;
            n += flagd.isFlagEnabled("rollout", c) ? 1 : 0;
            return n + (flagd.isFlagEnabled("rule", c) ? 1 : 0);
          };
      long bytes = bytesAllocatedBy(perCall, prebuilt);
      System.out.println("checksum " + sink);
      System.out.println("allocated " + bytes);
    }
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
