package dev.dynconfig.bench.eval;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ff4j.FF4j;
import org.ff4j.core.Feature;
import org.ff4j.core.FeatureStore;
import org.ff4j.core.FlippingExecutionContext;
import org.ff4j.strategy.AbstractFlipStrategy;
import org.ff4j.strategy.PonderationStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * FF4j 2.0 (2.1 needs Java 21) with its in-memory feature store. Its only percentage strategy,
 * {@link PonderationStrategy}, draws {@code Math.random()} on every call: the share is right but
 * the same user flips between calls, so its rollout is checked for the share only, not for
 * stickiness. The rule is a small custom strategy on an execution-context attribute, since FF4j has
 * none built in for arbitrary attributes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Ff4jEval extends EvalBenchmark {
  private FF4j ff4j;

  /** On when the execution context's {@code attribute} equals the init parameter {@code value}. */
  public static final class AttributeEqualsStrategy extends AbstractFlipStrategy {
    private static final long serialVersionUID = 1L;
    private String attribute;
    private String value;

    @Override
    public void init(String featureName, Map<String, String> initParams) {
      super.init(featureName, initParams);
      attribute = initParams.get("attribute");
      value = initParams.get("value");
    }

    @Override
    public boolean evaluate(
        String featureName, FeatureStore store, FlippingExecutionContext executionContext) {
      return executionContext != null && value.equals(executionContext.getString(attribute, false));
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    ff4j = new FF4j();
    ff4j.createFeature(new Feature(STATIC_FLAG, true));
    Feature rollout = new Feature(ROLLOUT_FLAG, true);
    rollout.setFlippingStrategy(new PonderationStrategy(0.25));
    ff4j.createFeature(rollout);
    Feature rule = new Feature(RULE_FLAG, true);
    AttributeEqualsStrategy strategy = new AttributeEqualsStrategy();
    strategy.init(RULE_FLAG, Map.of("attribute", "plan", "value", Users.PREMIUM));
    rule.setFlippingStrategy(strategy);
    ff4j.createFeature(rule);
    selfCheck("FF4j", false);
  }

  private static FlippingExecutionContext context(int i) {
    FlippingExecutionContext context = new FlippingExecutionContext();
    context.putString("userId", Users.id(i));
    context.putString("plan", Users.plan(i));
    return context;
  }

  @Override
  @Benchmark
  public boolean staticFlag() {
    return ff4j.check(STATIC_FLAG, context(next()));
  }

  @Override
  @Benchmark
  public boolean rollout() {
    return ff4j.check(ROLLOUT_FLAG, context(next()));
  }

  @Override
  @Benchmark
  public boolean rule() {
    return ff4j.check(RULE_FLAG, context(next()));
  }
}
