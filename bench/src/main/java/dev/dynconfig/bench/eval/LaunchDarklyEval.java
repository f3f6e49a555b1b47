package dev.dynconfig.bench.eval;

import com.launchdarkly.sdk.LDContext;
import com.launchdarkly.sdk.server.Components;
import com.launchdarkly.sdk.server.LDClient;
import com.launchdarkly.sdk.server.LDConfig;
import com.launchdarkly.sdk.server.integrations.FileData;
import java.nio.file.Path;
import java.time.Duration;
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
 * LaunchDarkly server SDK with the {@code FileData} source, no events and no diagnostics. Not
 * {@code offline(true)}: that would also switch the file source off and every flag would serve its
 * default.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LaunchDarklyEval extends EvalBenchmark {
  static final String FLAGS =
      """
      {
        "flags": {
          "static-on": {
            "key": "static-on", "version": 1, "on": true, "salt": "static-on",
            "variations": [true, false], "offVariation": 1,
            "fallthrough": {"variation": 0}
          },
          "rollout-25": {
            "key": "rollout-25", "version": 1, "on": true, "salt": "rollout-25",
            "variations": [true, false], "offVariation": 1,
            "fallthrough": {"rollout": {"variations": [
              {"variation": 0, "weight": 25000},
              {"variation": 1, "weight": 75000}
            ]}}
          },
          "premium-rule": {
            "key": "premium-rule", "version": 1, "on": true, "salt": "premium-rule",
            "variations": [true, false], "offVariation": 1,
            "rules": [{
              "id": "premium",
              "clauses": [{"contextKind": "user", "attribute": "plan", "op": "in",
                           "values": ["premium"], "negate": false}],
              "variation": 0
            }],
            "fallthrough": {"variation": 1}
          }
        }
      }
      """;

  private LDClient client;

  @Setup(Level.Trial)
  public void setUp() {
    Path file = TempFiles.write("launchdarkly", "flags.json", FLAGS);
    LDConfig config =
        new LDConfig.Builder()
            .dataSource(FileData.dataSource().filePaths(file))
            .events(Components.noEvents())
            .diagnosticOptOut(true)
            .startWait(Duration.ofSeconds(5))
            .build();
    client = new LDClient("sdk-offline-bench", config);
    if (!client.isInitialized()) {
      throw new IllegalStateException("LaunchDarkly did not load " + file);
    }
    selfCheck("LaunchDarkly", true);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    client.close();
  }

  private static LDContext context(int i) {
    return LDContext.builder(Users.id(i)).set("plan", Users.plan(i)).build();
  }

  @Override
  @Benchmark
  public boolean staticFlag() {
    return client.boolVariation(STATIC_FLAG, context(next()), false);
  }

  @Override
  @Benchmark
  public boolean rollout() {
    return client.boolVariation(ROLLOUT_FLAG, context(next()), false);
  }

  @Override
  @Benchmark
  public boolean rule() {
    return client.boolVariation(RULE_FLAG, context(next()), false);
  }
}
