package dev.dynconfig.bench.eval;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.FeatureFlag;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** dynconfig itself: flags registered from code on an engine with no source (nothing to fetch). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DynconfigEval extends EvalBenchmark {
  private DynamicConfig config;

  @Setup(Level.Trial)
  public void setUp() {
    config = DynamicConfig.create(DynamicConfigOptions.builder().build());
    config.initialize();
    config.registerFlag(FeatureFlag.of(STATIC_FLAG, true));
    // As in the seed: off by default, on for the users inside the rollout.
    config.registerFlag(
        new FeatureFlag(ROLLOUT_FLAG, false, null, null, null, null, 25.0, null, null, null, null));
    config.registerFlag(
        new FeatureFlag(
            RULE_FLAG,
            false,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            Map.of("==", List.of(Map.of("var", "plan"), Users.PREMIUM))));
    selfCheck("dynconfig", true);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    config.close();
  }

  /** The engine under test, for {@link DynconfigPrebuiltContextEval}. */
  DynamicConfig config() {
    return config;
  }

  /**
   * The context a request handler builds, in the README's idiom (the builder). {@link
   * DynconfigMapContextEval} measures the other factory, {@code EvaluationContext.of(…,
   * Map.of(…))}.
   */
  private static EvaluationContext context(int i) {
    return EvaluationContext.builder().userId(Users.id(i)).attribute("plan", Users.plan(i)).build();
  }

  @Override
  @Benchmark
  public boolean staticFlag() {
    return config.isFlagEnabled(STATIC_FLAG, context(next()));
  }

  @Override
  @Benchmark
  public boolean rollout() {
    return config.isFlagEnabled(ROLLOUT_FLAG, context(next()));
  }

  @Override
  @Benchmark
  public boolean rule() {
    return config.isFlagEnabled(RULE_FLAG, context(next()));
  }
}
