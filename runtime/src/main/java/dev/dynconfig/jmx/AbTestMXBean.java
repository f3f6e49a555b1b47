package dev.dynconfig.jmx;

import java.util.Map;

/**
 * One A/B test over JMX ({@code dev.dynconfig:type=Test,name=<id>}): status, allocation and
 * assignment counts.
 */
public interface AbTestMXBean {

  String getId();

  String getName();

  /** {@code draft}, {@code running}, {@code paused} or {@code completed}. */
  String getStatus();

  /** Variant id → percent of users, in document order. */
  Map<String, Double> getAllocation();

  /** Variant id → how often it was assigned since start. */
  Map<String, Long> getAssignmentCounts();

  /** How often the test was asked for but assigned no variant. */
  long getUnassignedCount();

  /** The test's definition as JSON text. */
  String getDefinition();

  /** Entry methods dispatching on this test under the agent, sorted; empty without the agent. */
  String[] getGuardedMethods();
}
