package dev.dynconfig.bench.eval;

import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.openfeature.DynconfigProvider;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
import java.nio.file.Path;
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

/**
 * dynconfig's OpenFeature provider called as the SDK calls it ({@code getBooleanEvaluation}), on
 * the flag file of {@link OpenFeatureFlagdEval} with its context ({@code ImmutableContext} with the
 * user id as targeting key and {@code plan}) built per call: the provider's own per-evaluation
 * cost, to compare with {@link DynconfigFlagdFileEval} (issue 12: within 2×).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DynconfigProviderEval extends EvalBenchmark {
  private DynconfigProvider provider;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path file = TempFiles.write("dynconfig-of", "flags.flagd.json", OpenFeatureFlagdEval.FLAGS);
    provider = new DynconfigProvider(DynamicConfigOptions.builder().file(file).build());
    provider.initialize(ImmutableContext.EMPTY);
    selfCheck("dynconfig OpenFeature provider", true);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    provider.shutdown();
  }

  /** The provider under test, for {@link DynconfigProviderPrebuiltContextEval}. */
  DynconfigProvider provider() {
    return provider;
  }

  private static ImmutableContext context(int i) {
    return new ImmutableContext(Users.id(i), Map.of("plan", new Value(Users.plan(i))));
  }

  @Override
  @Benchmark
  public boolean staticFlag() {
    return provider.getBooleanEvaluation(STATIC_FLAG, false, context(next())).getValue();
  }

  @Override
  @Benchmark
  public boolean rollout() {
    return provider.getBooleanEvaluation(ROLLOUT_FLAG, false, context(next())).getValue();
  }

  @Override
  @Benchmark
  public boolean rule() {
    return provider.getBooleanEvaluation(RULE_FLAG, false, context(next())).getValue();
  }
}
