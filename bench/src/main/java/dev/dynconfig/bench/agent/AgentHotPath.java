package dev.dynconfig.bench.agent;

import com.acme.bench.Checkout;
import dev.dynconfig.bench.eval.Users;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.slf4j.MDC;

/**
 * Section 2 of BENCHMARKS.md: the cost of a method the agent rewrote, called from application code
 * in a JVM started with {@code -javaagent:agent/target/dynconfig.jar=file=...}. Compare with {@link
 * NoAgentHotPath} (the same methods, no agent).
 *
 * <p>The rollout and the A/B test are keyed by the user id that a request handler put into the
 * SLF4J MDC (logback's real MDC); those benchmarks put the next of the 1,024 {@link Users} into the
 * MDC on every call, as a handler does per request, and {@link #mdcPutThenPlain} measures that put
 * alone. Paths are relative to the repository root ({@code bench/run.sh} runs from there).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-javaagent:" + AgentHotPath.AGENT_JAR + "=file=" + AgentHotPath.FLAGS})
public class AgentHotPath {
  static final String AGENT_JAR = "agent/target/dynconfig.jar";
  static final String FLAGS = "bench/src/main/resources/agent-bench/flags.json";
  static final String USER_ID = "userId";

  private final Checkout target = new Checkout();
  private int x;
  private int cursor;

  /**
   * Refuses to measure unless the agent really rewrote {@link Checkout}: the off flag must run the
   * {@code otherwise} method, the rollout must cover 18–32% of the users and be sticky, about half
   * of them must get the {@code express} variant, and the config value must come from the file.
   */
  @Setup(Level.Trial)
  public void verifyTheAgentRewroteTheMethods() {
    require(
        System.getProperty("dynconfig.agent.installed") != null,
        "the agent is not installed (is " + AGENT_JAR + " built? run from the repository root)");
    require(target.plain(0) == 1, "plain(0) = " + target.plain(0) + ", expected 1");
    require(target.staticOn(0) == 1, "@Toggle(bench-static-on) did not run its body");
    require(
        target.staticOff(0) == 2,
        "@Toggle(bench-static-off) ran its body: the method was not rewritten or "
            + FLAGS
            + " was not loaded");
    require(target.timeoutMs() == 2500, "@ConfigValue gave " + target.timeoutMs() + ", not 2500");
    int on = 0;
    int express = 0;
    for (int i = 0; i < Users.COUNT; i++) {
      MDC.put(USER_ID, Users.id(i));
      boolean first = target.rollout(0) == 1;
      require(first == (target.rollout(0) == 1), "rollout is not sticky for " + Users.id(i));
      on += first ? 1 : 0;
      int steps = target.steps(0);
      require(steps == 3 || steps == 4, "@Variant gave " + steps);
      express += steps == 4 ? 1 : 0;
    }
    MDC.remove(USER_ID);
    require(target.rollout(0) == 2, "rollout without a user id must be off");
    double share = on / (double) Users.COUNT;
    require(share >= 0.18 && share <= 0.32, "rollout covers " + share * 100 + "% of the users");
    double expressShare = express / (double) Users.COUNT;
    require(
        expressShare >= 0.35 && expressShare <= 0.65,
        "variant 'express' got " + expressShare * 100 + "% of the users, expected ~50%");
    System.out.printf(
        "[self-check] agent ok: static on/off rewritten, rollout %.1f%% (sticky), express %.1f%%,"
            + " config value from the file%n",
        share * 100, expressShare * 100);
  }

  /**
   * For the "same user" benchmarks: one user per iteration (the next one each time), as when a
   * request makes several calls after one {@code MDC.put}. The agent then reuses the context it
   * built for that user.
   */
  @Setup(Level.Iteration)
  public void nextUserForTheIteration() {
    MDC.put(USER_ID, nextUser());
  }

  private String nextUser() {
    return Users.id(cursor++ & (Users.COUNT - 1));
  }

  /** Not annotated, in the same JVM as the agent. */
  @Benchmark
  public int plain() {
    return target.plain(x++);
  }

  @Benchmark
  public int toggleStaticOn() {
    return target.staticOn(x++);
  }

  @Benchmark
  public int toggleStaticOff() {
    return target.staticOff(x++);
  }

  /** What a request handler pays to put the user into the MDC (not the agent's cost). */
  @Benchmark
  public int mdcPutThenPlain() {
    MDC.put(USER_ID, nextUser());
    return target.plain(x++);
  }

  @Benchmark
  public int toggleRolloutFromMdc() {
    MDC.put(USER_ID, nextUser());
    return target.rollout(x++);
  }

  @Benchmark
  public int variantFromMdc() {
    MDC.put(USER_ID, nextUser());
    return target.steps(x++);
  }

  /** The user in the MDC does not change between calls (set per iteration). */
  @Benchmark
  public int toggleRolloutSameUser() {
    return target.rollout(x++);
  }

  /** The user in the MDC does not change between calls (set per iteration). */
  @Benchmark
  public int variantSameUser() {
    return target.steps(x++);
  }

  @Benchmark
  public int configValue() {
    return target.timeoutMs();
  }

  static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("[self-check] " + what);
    }
  }
}
