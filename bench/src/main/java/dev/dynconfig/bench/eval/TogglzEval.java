package dev.dynconfig.bench.eval;

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
import org.togglz.core.Feature;
import org.togglz.core.activation.GradualActivationStrategy;
import org.togglz.core.activation.Parameter;
import org.togglz.core.activation.ParameterBuilder;
import org.togglz.core.manager.FeatureManager;
import org.togglz.core.manager.FeatureManagerBuilder;
import org.togglz.core.repository.FeatureState;
import org.togglz.core.repository.mem.InMemoryStateRepository;
import org.togglz.core.spi.ActivationStrategy;
import org.togglz.core.user.FeatureUser;
import org.togglz.core.user.SimpleFeatureUser;
import org.togglz.core.user.thread.ThreadLocalUserProvider;

/**
 * Togglz with an in-memory state repository. The user is bound to the thread per call, which is how
 * Togglz receives its context in a request handler ({@link ThreadLocalUserProvider}). Rollout is
 * Togglz's gradual activation (sticky: a hash of the user name); the rule is a small custom
 * strategy on a user attribute, since Togglz has none built in for arbitrary attributes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TogglzEval extends EvalBenchmark {
  /** Togglz's idiomatic way to declare features: an enum. */
  public enum Flags implements Feature {
    STATIC_ON,
    ROLLOUT_25,
    PREMIUM_RULE
  }

  private static final Feature STATIC = Flags.STATIC_ON;
  private static final Feature ROLLOUT = Flags.ROLLOUT_25;
  private static final Feature RULE = Flags.PREMIUM_RULE;

  private FeatureManager manager;

  /** Active when the user's attribute {@code attribute} equals the parameter {@code value}. */
  static final class AttributeEqualsStrategy implements ActivationStrategy {
    static final String ID = "attribute-equals";

    @Override
    public String getId() {
      return ID;
    }

    @Override
    public String getName() {
      return "User attribute equals";
    }

    @Override
    public boolean isActive(FeatureState state, FeatureUser user) {
      return user != null
          && state.getParameter("value").equals(user.getAttribute(state.getParameter("attribute")));
    }

    @Override
    public Parameter[] getParameters() {
      return new Parameter[] {
        ParameterBuilder.create("attribute"), ParameterBuilder.create("value")
      };
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    InMemoryStateRepository states = new InMemoryStateRepository();
    states.setFeatureState(new FeatureState(STATIC, true));
    states.setFeatureState(
        new FeatureState(ROLLOUT, true)
            .setStrategyId(GradualActivationStrategy.ID)
            .setParameter(GradualActivationStrategy.PARAM_PERCENTAGE, "25"));
    states.setFeatureState(
        new FeatureState(RULE, true)
            .setStrategyId(AttributeEqualsStrategy.ID)
            .setParameter("attribute", "plan")
            .setParameter("value", Users.PREMIUM));
    manager =
        FeatureManagerBuilder.begin()
            .featureEnum(Flags.class)
            .stateRepository(states)
            .userProvider(new ThreadLocalUserProvider())
            .activationStrategy(new AttributeEqualsStrategy())
            .build();
    selfCheck("Togglz", true);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    ThreadLocalUserProvider.release();
  }

  private boolean isActive(Feature feature, int i) {
    ThreadLocalUserProvider.bind(
        new SimpleFeatureUser(Users.id(i)).setAttribute("plan", Users.plan(i)));
    try {
      return manager.isActive(feature);
    } finally {
      ThreadLocalUserProvider.release();
    }
  }

  @Override
  @Benchmark
  public boolean staticFlag() {
    return isActive(STATIC, next());
  }

  @Override
  @Benchmark
  public boolean rollout() {
    return isActive(ROLLOUT, next());
  }

  @Override
  @Benchmark
  public boolean rule() {
    return isActive(RULE, next());
  }
}
