package dev.dynconfig.bench.eval;

import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.util.UnleashConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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
 * Unleash Java SDK (evaluation in its native Yggdrasil engine), fed by a bootstrap provider with
 * polling and metrics off. The backup file points at a path that does not exist: an existing backup
 * silently wins over the bootstrap, so a stale one from an earlier run would be measured instead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UnleashEval extends EvalBenchmark {
  static final String FEATURES =
      """
      {
        "version": 2,
        "features": [
          {
            "name": "static-on",
            "enabled": true,
            "strategies": [{"name": "default", "parameters": {}}]
          },
          {
            "name": "rollout-25",
            "enabled": true,
            "strategies": [{
              "name": "flexibleRollout",
              "parameters": {"rollout": "25", "stickiness": "userId", "groupId": "rollout-25"}
            }]
          },
          {
            "name": "premium-rule",
            "enabled": true,
            "strategies": [{
              "name": "default",
              "parameters": {},
              "constraints": [{"contextName": "plan", "operator": "IN", "values": ["premium"]}]
            }]
          }
        ]
      }
      """;

  private Unleash unleash;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path missingBackup =
        Files.createTempDirectory("dynconfig-bench-unleash").resolve("no-such-backup.json");
    UnleashConfig config =
        UnleashConfig.builder()
            .appName("dynconfig-bench")
            .instanceId("bench")
            // Required by the builder; never contacted (polling and metrics are off). The
            // discard port on loopback, so a stray request fails fast instead of leaving the host.
            .unleashAPI("http://127.0.0.1:9/api/")
            .disablePolling()
            .disableMetrics()
            .backupFile(missingBackup.toString())
            .toggleBootstrapProvider(() -> Optional.of(FEATURES))
            .build();
    unleash = new DefaultUnleash(config);
    selfCheck("Unleash", true);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    unleash.shutdown();
  }

  private static UnleashContext context(int i) {
    return UnleashContext.builder().userId(Users.id(i)).addProperty("plan", Users.plan(i)).build();
  }

  @Override
  @Benchmark
  public boolean staticFlag() {
    return unleash.isEnabled(STATIC_FLAG, context(next()));
  }

  @Override
  @Benchmark
  public boolean rollout() {
    return unleash.isEnabled(ROLLOUT_FLAG, context(next()));
  }

  @Override
  @Benchmark
  public boolean rule() {
    return unleash.isEnabled(RULE_FLAG, context(next()));
  }
}
