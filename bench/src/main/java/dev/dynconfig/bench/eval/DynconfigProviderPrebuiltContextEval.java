package dev.dynconfig.bench.eval;

import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
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
 * Diagnostic: {@link DynconfigProviderEval} with the 1,024 OpenFeature contexts built once in
 * setup, so the gap between the two rows is what building an {@code ImmutableContext} per call
 * costs, and this row is the provider's own cost (context mapping, engine, result).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DynconfigProviderPrebuiltContextEval extends EvalBenchmark {
  private final DynconfigProviderEval provider = new DynconfigProviderEval();
  private final ImmutableContext[] contexts = new ImmutableContext[Users.COUNT];

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    provider.setUp();
    for (int i = 0; i < Users.COUNT; i++) {
      contexts[i] = new ImmutableContext(Users.id(i), Map.of("plan", new Value(Users.plan(i))));
    }
    selfCheck("dynconfig OpenFeature provider (pre-built contexts)", true);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    provider.tearDown();
  }

  @Override
  @Benchmark
  public boolean staticFlag() {
    return provider
        .provider()
        .getBooleanEvaluation(STATIC_FLAG, false, contexts[next()])
        .getValue();
  }

  @Override
  @Benchmark
  public boolean rollout() {
    return provider
        .provider()
        .getBooleanEvaluation(ROLLOUT_FLAG, false, contexts[next()])
        .getValue();
  }

  @Override
  @Benchmark
  public boolean rule() {
    return provider.provider().getBooleanEvaluation(RULE_FLAG, false, contexts[next()]).getValue();
  }
}
