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
 * Diagnostic, not part of the comparison: dynconfig with the context built per call through the
 * other factory, {@code EvaluationContext.of(userId, null, null, null, Map.of("plan", plan))}, so
 * the table shows whether that form is scalar-replaced as well as the builder's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DynconfigMapContextEval extends EvalBenchmark {
  private final DynconfigEval engine = new DynconfigEval();

  @Setup(Level.Trial)
  public void setUp() {
    engine.setUp();
    selfCheck("dynconfig (EvaluationContext.of + Map.of)", true);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.tearDown();
  }

  private static EvaluationContext context(int i) {
    return EvaluationContext.of(Users.id(i), null, null, null, Map.of("plan", Users.plan(i)));
  }

  @Override
  @Benchmark
  public boolean staticFlag() {
    return engine.config().isFlagEnabled(STATIC_FLAG, context(next()));
  }

  @Override
  @Benchmark
  public boolean rollout() {
    return engine.config().isFlagEnabled(ROLLOUT_FLAG, context(next()));
  }

  @Override
  @Benchmark
  public boolean rule() {
    return engine.config().isFlagEnabled(RULE_FLAG, context(next()));
  }
}
