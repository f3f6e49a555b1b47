package dev.dynconfig.jmx;

/**
 * One flag over JMX ({@code dev.dynconfig:type=Flag,name=<key>}): its definition, a writable
 * override, evaluation counters and the methods it guards under the agent.
 */
public interface FlagMXBean {

  String getKey();

  /** {@code native} (the dynconfig format, boolean) or {@code flagd:<type>}. */
  String getKind();

  /** The flag's definition as JSON text, as written in its document. */
  String getDefinition();

  /** The override as JSON text ({@code true}, {@code "red"} …), or empty when there is none. */
  String getOverride();

  /**
   * Sets the override: empty removes it; {@code true}/{@code false} for native flags; JSON of the
   * flag's variant type for flagd flags ({@code "red"}, {@code 3}, {@code {"a":1}}).
   */
  void setOverride(String value);

  /** Evaluations that returned {@code true} since start (survives reloads). */
  long getTrueCount();

  /** Evaluations that returned {@code false} since start (survives reloads). */
  long getFalseCount();

  /** Evaluations that returned anything else (typed flagd flags, defaults of unknown types). */
  long getOtherCount();

  /**
   * Methods guarded by this flag under the agent ({@code com.acme.Pricing#price(Order)}), sorted;
   * empty without the agent.
   */
  String[] getGuardedMethods();
}
