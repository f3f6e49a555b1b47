package dev.dynconfig.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler reporting the benchmark threads' CPU time per operation ({@code cpu.time.norm},
 * ns/op), next to JMH's wall-clock score: {@code -prof dev.dynconfig.bench.CpuTimeProfiler}.
 *
 * <p>Why: on a shared, loaded machine (this project's 2-core box often has a load average of 10-20)
 * the wall-clock score mostly measures how long the benchmark thread waited for a core. CPU time
 * leaves that wait out, so before/after comparisons made minutes apart stay comparable. It still
 * includes what co-running processes cost through shared caches, so it is an upper bound of the
 * quiet-machine figure, not a replacement for it. Normalised by all operations of the iteration, as
 * {@code -prof gc} normalises allocations.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private static final String WORKER = "-jmh-worker-";

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> startNanos = new HashMap<>();

  @Override
  public String getDescription() {
    return "CPU time of the benchmark threads per operation (load-insensitive companion of ns/op)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    startNanos.clear();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().contains(WORKER)) {
        startNanos.put(t.getId(), threads.getThreadCpuTime(t.getId()));
      }
    }
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long ops = result.getMetadata().getAllOps();
    long cpu = 0;
    for (Map.Entry<Long, Long> e : startNanos.entrySet()) {
      long now = threads.getThreadCpuTime(e.getKey());
      if (now >= 0 && e.getValue() >= 0) {
        cpu += now - e.getValue();
      }
    }
    // Worker threads are created with the first iteration; report only when they were seen.
    if (ops <= 0 || startNanos.isEmpty()) {
      return List.of();
    }
    return List.of(
        new ScalarResult("cpu.time.norm", (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
  }
}
