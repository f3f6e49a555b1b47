package dev.dynconfig.bench.agent;

import com.acme.bench.Checkout;
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

/**
 * The baseline of section 2: the same {@link Checkout} methods in a JVM without the agent, where
 * the annotations have no effect and every method is a plain call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class NoAgentHotPath {
  private final Checkout target = new Checkout();
  private int x;

  /** Refuses to run if an agent rewrote the methods (e.g. JAVA_TOOL_OPTIONS): not a baseline. */
  @Setup(Level.Trial)
  public void verifyNoAgent() {
    AgentHotPath.require(
        System.getProperty("dynconfig.agent.installed") == null, "the agent is installed");
    AgentHotPath.require(target.staticOff(0) == 1, "staticOff was rewritten without the agent");
  }

  @Benchmark
  public int plain() {
    return target.plain(x++);
  }

  /** The {@code @Toggle} method of {@link AgentHotPath#toggleStaticOn}, without the agent. */
  @Benchmark
  public int toggleStaticOn() {
    return target.staticOn(x++);
  }
}
