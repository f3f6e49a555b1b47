package dev.dynconfig.bench.eval;

import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.openfeature.DynconfigProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
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
 * The OpenFeature SDK with dynconfig's provider, exactly as {@link OpenFeatureFlagdEval} runs the
 * SDK with the flagd provider: same flag file, same client call, same context built per call. The
 * difference between the two rows is the provider.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DynconfigOpenFeatureEval extends EvalBenchmark {
  private static final String DOMAIN = "dynconfig-bench-dynconfig";

  private OpenFeatureAPI api;
  private Client client;

  @Setup(Level.Trial)
  public void setUp() {
    Path file = TempFiles.write("dynconfig-ofsdk", "flags.flagd.json", OpenFeatureFlagdEval.FLAGS);
    api = OpenFeatureAPI.getInstance();
    api.setProviderAndWait(
        DOMAIN, new DynconfigProvider(DynamicConfigOptions.builder().file(file).build()));
    client = api.getClient(DOMAIN);
    selfCheck("OpenFeature+dynconfig", true);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    api.shutdown();
  }

  private static ImmutableContext context(int i) {
    return new ImmutableContext(Users.id(i), Map.of("plan", new Value(Users.plan(i))));
  }

  @Override
  @Benchmark
  public boolean staticFlag() {
    return client.getBooleanValue(STATIC_FLAG, false, context(next()));
  }

  @Override
  @Benchmark
  public boolean rollout() {
    return client.getBooleanValue(ROLLOUT_FLAG, false, context(next()));
  }

  @Override
  @Benchmark
  public boolean rule() {
    return client.getBooleanValue(RULE_FLAG, false, context(next()));
  }
}
