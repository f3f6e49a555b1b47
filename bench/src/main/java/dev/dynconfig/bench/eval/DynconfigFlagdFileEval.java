package dev.dynconfig.bench.eval;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.EvaluationContext;
import java.nio.file.Path;
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

/**
 * The engine's own {@code evaluateFlag} on the flagd flag file of {@link OpenFeatureFlagdEval}
 * (same flags, same users), with the equivalent dynconfig context (targeting key + {@code plan})
 * built per call: the baseline of the OpenFeature provider rows, and the flagd side of the
 * native-vs-flagd comparison ({@link DynconfigNativeFileEval} is the native side).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DynconfigFlagdFileEval extends EvalBenchmark {
  private DynamicConfig config;

  @Setup(Level.Trial)
  public void setUp() {
    Path file = TempFiles.write("dynconfig-flagd", "flags.flagd.json", OpenFeatureFlagdEval.FLAGS);
    config = DynamicConfig.create(DynamicConfigOptions.builder().file(file).build());
    config.initialize();
    selfCheck("dynconfig on the flagd file", true);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    config.close();
  }

  /** The context built per call, with the README's builder, by both file benchmarks. */
  static EvaluationContext context(int i) {
    return EvaluationContext.builder()
        .targetingKey(Users.id(i))
        .attribute("plan", Users.plan(i))
        .build();
  }

  @Override
  @Benchmark
  public boolean staticFlag() {
    return config.evaluateFlag(STATIC_FLAG, context(next()), Boolean.FALSE).value() == Boolean.TRUE;
  }

  @Override
  @Benchmark
  public boolean rollout() {
    return config.evaluateFlag(ROLLOUT_FLAG, context(next()), Boolean.FALSE).value()
        == Boolean.TRUE;
  }

  @Override
  @Benchmark
  public boolean rule() {
    return config.evaluateFlag(RULE_FLAG, context(next()), Boolean.FALSE).value() == Boolean.TRUE;
  }
}
