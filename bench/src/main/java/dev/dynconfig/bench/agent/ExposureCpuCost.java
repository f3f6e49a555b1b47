package dev.dynconfig.bench.agent;

import com.acme.bench.Checkout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.slf4j.MDC;

/**
 * The CPU time per {@code @Variant} call (same user), as a cross-check of {@link AgentHotPath} vs
 * {@link AgentHotPathNoExposures} on a loaded machine: thread CPU time does not count the time the
 * thread waited for a core, which wall-clock JMH results do. Run in a JVM with the agent, once with
 * {@code exposures=true} and once with {@code exposures=false} (BENCHMARKS.md, section 2, "Exposure
 * counting"); prints the best of 7 rounds of 5,000,000 calls after a warm-up.
 */
public final class ExposureCpuCost {
  private static final int CALLS = 5_000_000;

  private ExposureCpuCost() {}

  public static void main(String[] args) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Checkout target = new Checkout();
    MDC.put(AgentHotPath.USER_ID, "0f8fad5b-d9cb-469f-a165-70867728950e");
    long sink = 0;
    for (int i = 0; i < CALLS; i++) {
      sink += target.steps(i);
    }
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 7; round++) {
      long start = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < CALLS; i++) {
        sink += target.steps(i);
      }
      best = Math.min(best, threads.getCurrentThreadCpuTime() - start);
    }
    System.out.printf(
        "%s: best CPU time per @Variant call %.1f ns (checksum %d)%n",
        args.length > 0 ? args[0] : "", best / (double) CALLS, sink & 0xff);
  }
}
