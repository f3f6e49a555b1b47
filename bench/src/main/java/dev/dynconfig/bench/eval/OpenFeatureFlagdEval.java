package dev.dynconfig.bench.eval;

import dev.openfeature.contrib.providers.flagd.Config;
import dev.openfeature.contrib.providers.flagd.FlagdOptions;
import dev.openfeature.contrib.providers.flagd.FlagdProvider;
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
 * OpenFeature SDK + flagd provider, in-process evaluation from a local flag file ({@code FILE}
 * resolver with {@code offlineFlagSourcePath}): no flagd daemon, no gRPC connection.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OpenFeatureFlagdEval extends EvalBenchmark {
  private static final String DOMAIN = "dynconfig-bench";

  static final String FLAGS =
      """
      {
        "$schema": "https://flagd.dev/schema/v0/flags.json",
        "flags": {
          "static-on": {
            "state": "ENABLED",
            "variants": {"on": true, "off": false},
            "defaultVariant": "on"
          },
          "rollout-25": {
            "state": "ENABLED",
            "variants": {"on": true, "off": false},
            "defaultVariant": "off",
            "targeting": {"fractional": [["on", 25], ["off", 75]]}
          },
          "premium-rule": {
            "state": "ENABLED",
            "variants": {"on": true, "off": false},
            "defaultVariant": "off",
            "targeting": {"if": [{"==": [{"var": "plan"}, "premium"]}, "on", "off"]}
          }
        }
      }
      """;

  private OpenFeatureAPI api;
  private Client client;

  @Setup(Level.Trial)
  public void setUp() {
    Path file = TempFiles.write("flagd", "flags.flagd.json", FLAGS);
    FlagdProvider provider =
        new FlagdProvider(
            FlagdOptions.builder()
                .resolverType(Config.Resolver.FILE)
                .offlineFlagSourcePath(file.toString())
                // The deadline also bounds initialization (default 1 s): on a loaded 2-core
                // machine loading and schema-validating the file can take longer than that.
                .deadline(30_000)
                .build());
    api = OpenFeatureAPI.getInstance();
    api.setProviderAndWait(DOMAIN, provider);
    client = api.getClient(DOMAIN);
    selfCheck("OpenFeature+flagd", true);
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
