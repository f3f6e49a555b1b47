package dev.dynconfig.internal.insight;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per rewritten method, the calls that needed a bucketing key (user id, else session id) for a
 * rollout or an A/B assignment and found none: every such call lands in the same bucket, which is
 * rarely what the rollout meant. The agent counts; JMX ({@code DynamicConfig.AnonymousCalls}) and
 * the fleet report read.
 */
public final class AnonymousCalls {
  private static final Map<String, AtomicLong> COUNTERS = new ConcurrentHashMap<>();

  private AnonymousCalls() {}

  /** The counter of {@code site}, created on first use; keep it to count without a lookup. */
  public static AtomicLong counter(String site) {
    return COUNTERS.computeIfAbsent(site, s -> new AtomicLong());
  }

  /** Method → anonymous calls since start, sorted by method; only methods that had any. */
  public static Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    COUNTERS.forEach(
        (site, count) -> {
          long n = count.get();
          if (n > 0) {
            out.put(site, n);
          }
        });
    return out;
  }
}
