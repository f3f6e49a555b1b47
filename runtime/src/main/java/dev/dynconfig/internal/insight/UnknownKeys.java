package dev.dynconfig.internal.insight;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys that rewritten methods refer to but the current configuration lacks (a typo in an
 * annotation, or a flag deleted while code still uses it), with the methods that use them. The
 * agent reports a site when a call finds its key missing and withdraws it when the key appears; JMX
 * ({@code DynamicConfig.UnknownKeys}) and the fleet report read it.
 *
 * <p>JVM-wide, like {@code GuardedMethods}: rewriting is JVM-wide and never on the hot path.
 */
public final class UnknownKeys {
  private static final Map<String, Set<String>> SITES = new ConcurrentHashMap<>();

  private UnknownKeys() {}

  /**
   * {@code site} (e.g. {@code com.acme.Pricing#price(Order)}) uses {@code key}, which is missing.
   */
  public static void report(String key, String site) {
    SITES.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(site);
  }

  /** {@code key} exists again for {@code site}. */
  public static void resolved(String key, String site) {
    SITES.computeIfPresent(
        key,
        (k, sites) -> {
          sites.remove(site);
          return sites.isEmpty() ? null : sites;
        });
  }

  /** Unknown key → the methods using it, both sorted. */
  public static Map<String, String[]> snapshot() {
    Map<String, String[]> out = new TreeMap<>();
    SITES.forEach(
        (key, sites) -> {
          String[] a = sites.toArray(new String[0]);
          java.util.Arrays.sort(a);
          if (a.length > 0) {
            out.put(key, a);
          }
        });
    return out;
  }

  /** Forgets everything (for tests). */
  static void clear() {
    SITES.clear();
  }
}
