package dev.dynconfig.bench.eval;

import dev.dynconfig.EvaluationContext;
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
 * Diagnostic, not part of the comparison: dynconfig with the 1,024 contexts built once in setup, so
 * the gap between this and {@link DynconfigEval} is what building an {@link EvaluationContext} per
 * call costs, and this row alone is the engine's own evaluation cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DynconfigPrebuiltContextEval extends EvalBenchmark {
  private final DynconfigEval engine = new DynconfigEval();
  private final EvaluationContext[] contexts = new EvaluationContext[Users.COUNT];

  @Setup(Level.Trial)
  public void setUp() {
    engine.setUp();
    for (int i = 0; i < Users.COUNT; i++) {
      contexts[i] =
          EvaluationContext.of(Users.id(i), null, null, null, Map.of("plan", Users.plan(i)));
    }
    selfCheck("dynconfig (pre-built contexts)", true);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.tearDown();
  }

  @Override
  @Benchmark
  public boolean staticFlag() {
    return engine.config().isFlagEnabled(STATIC_FLAG, contexts[next()]);
  }

  @Override
  @Benchmark
  public boolean rollout() {
    return engine.config().isFlagEnabled(ROLLOUT_FLAG, contexts[next()]);
  }

  @Override
  @Benchmark
  public boolean rule() {
    return engine.config().isFlagEnabled(RULE_FLAG, contexts[next()]);
  }
}
