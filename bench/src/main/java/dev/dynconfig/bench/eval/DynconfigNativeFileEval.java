package dev.dynconfig.bench.eval;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
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
 * The native twin of {@link DynconfigFlagdFileEval}: the same three flags written in dynconfig's
 * native format ({@link #FLAGS}), read from a file, evaluated exactly as that benchmark evaluates
 * the flagd file (same users, same context built per call, same call). The two side by side show
 * what the flagd format costs over the native one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DynconfigNativeFileEval extends EvalBenchmark {
  /** {@link OpenFeatureFlagdEval#FLAGS} in the native format: flag for flag, user for user. */
  static final String FLAGS =
      """
      {
        "flags": [
          {"key": "static-on", "defaultValue": true},
          {"key": "rollout-25", "defaultValue": false, "rolloutPercentage": 25},
          {"key": "premium-rule", "defaultValue": false,
           "targeting": {"==": [{"var": "plan"}, "premium"]}}
        ]
      }
      """;

  private DynamicConfig config;

  @Setup(Level.Trial)
  public void setUp() {
    Path file = TempFiles.write("dynconfig-native", "flags.json", FLAGS);
    config = DynamicConfig.create(DynamicConfigOptions.builder().file(file).build());
    config.initialize();
    selfCheck("dynconfig on the native file", true);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    config.close();
  }

  @Override
  @Benchmark
  public boolean staticFlag() {
    return config
            .evaluateFlag(STATIC_FLAG, DynconfigFlagdFileEval.context(next()), Boolean.FALSE)
            .value()
        == Boolean.TRUE;
  }

  @Override
  @Benchmark
  public boolean rollout() {
    return config
            .evaluateFlag(ROLLOUT_FLAG, DynconfigFlagdFileEval.context(next()), Boolean.FALSE)
            .value()
        == Boolean.TRUE;
  }

  @Override
  @Benchmark
  public boolean rule() {
    return config
            .evaluateFlag(RULE_FLAG, DynconfigFlagdFileEval.context(next()), Boolean.FALSE)
            .value()
        == Boolean.TRUE;
  }
}
