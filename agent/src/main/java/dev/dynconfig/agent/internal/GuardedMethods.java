package dev.dynconfig.agent.internal;

import dev.dynconfig.jmx.GuardedMethodIndex;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which methods the agent rewrote to branch on a flag or test: {@link SitePlanner} records a method
 * when it rewrites it, {@link SiteRegistry} forgets it when its class loader is collected. Handed
 * to the JMX registration as its {@link GuardedMethodIndex} ({@link #INDEX}) for the {@code
 * GuardedMethods} attribute of the flag and test MBeans.
 *
 * <p>JVM-wide rather than per {@code DynamicConfig} on purpose: class rewriting is JVM-wide (a
 * class is rewritten once, whichever engine instance later serves it), and recording must work
 * before the engine exists. Recording is rare (once per rewritten method) and never on the hot
 * path.
 *
 * <p>Counted per method: the same class may be loaded by several class loaders (two deployments of
 * one web application), and forgetting one (its loader was collected) must not hide the other.
 */
final class GuardedMethods {
  private static final Map<String, Map<String, Integer>> FLAGS = new ConcurrentHashMap<>();
  private static final Map<String, Map<String, Integer>> TESTS = new ConcurrentHashMap<>();
  private static final String[] NONE = new String[0];

  /** This record as the JMX beans read it. */
  static final GuardedMethodIndex INDEX =
      new GuardedMethodIndex() {
        @Override
        public String[] forFlag(String flagKey) {
          return GuardedMethods.forFlag(flagKey);
        }

        @Override
        public String[] forTest(String testId) {
          return GuardedMethods.forTest(testId);
        }
      };

  private GuardedMethods() {}

  /** Records that {@code method} (e.g. {@code com.acme.Pricing#price(Order)}) uses a flag. */
  static void recordFlag(String flagKey, String method) {
    record(FLAGS, flagKey, method);
  }

  /** Records that {@code method} dispatches on an A/B test. */
  static void recordTest(String testId, String method) {
    record(TESTS, testId, method);
  }

  /** Forgets one {@link #recordFlag} of {@code method} (its class has been unloaded). */
  static void forgetFlag(String flagKey, String method) {
    forget(FLAGS, flagKey, method);
  }

  /** Forgets one {@link #recordTest} of {@code method} (its class has been unloaded). */
  static void forgetTest(String testId, String method) {
    forget(TESTS, testId, method);
  }

  /** The methods recorded for a flag, sorted. */
  static String[] forFlag(String flagKey) {
    return sorted(FLAGS, flagKey);
  }

  /** The methods recorded for a test, sorted. */
  static String[] forTest(String testId) {
    return sorted(TESTS, testId);
  }

  private static void record(Map<String, Map<String, Integer>> map, String key, String method) {
    if (key == null || method == null) {
      return;
    }
    map.compute(
        key,
        (k, methods) -> {
          Map<String, Integer> m = methods == null ? new ConcurrentHashMap<>() : methods;
          m.merge(method, 1, Integer::sum);
          return m;
        });
  }

  private static void forget(Map<String, Map<String, Integer>> map, String key, String method) {
    if (key == null || method == null) {
      return;
    }
    map.computeIfPresent(
        key,
        (k, methods) -> {
          methods.computeIfPresent(method, (m, n) -> n > 1 ? n - 1 : null);
          return methods.isEmpty() ? null : methods;
        });
  }

  private static String[] sorted(Map<String, Map<String, Integer>> map, String key) {
    Map<String, Integer> s = key == null ? null : map.get(key);
    if (s == null) {
      return NONE;
    }
    String[] a = s.keySet().toArray(NONE);
    java.util.Arrays.sort(a);
    return a;
  }
}
