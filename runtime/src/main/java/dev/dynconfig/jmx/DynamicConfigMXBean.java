package dev.dynconfig.jmx;

import java.util.Map;

/**
 * The engine as operators see it over JMX ({@code dev.dynconfig:type=DynamicConfig}). Only open
 * types, so JConsole, VisualVM and any generic JMX client show everything without dynconfig's
 * classes.
 */
public interface DynamicConfigMXBean {

  /** Whether {@code initialize()} has completed (and {@code shutdown()} has not been called). */
  boolean isInitialized();

  /** {@code CONNECTED}, {@code CONNECTING}, {@code DISCONNECTED} … */
  String getConnectionStatus();

  /** When the last document was accepted (ISO-8601), or empty. */
  String getLastSyncedAt();

  /** The last problem (rejected document, connection failure), or empty. */
  String getLastError();

  /** The version of the snapshot being served, or -1 before the first document. */
  long getVersion();

  /** Where documents come from, e.g. {@code file:/etc/flags.json}, or {@code none}. */
  String getSource();

  /** The environment used when a context names none. */
  String getEnvironment();

  /** Current overrides: flag key → value as JSON text. */
  Map<String, String> getOverrides();

  /**
   * Keys that rewritten methods use but the current configuration lacks (likely typos): key (a flag
   * key, test id or {@code namespace.key}) → the methods using it.
   */
  Map<String, String[]> getUnknownKeys();

  /**
   * Rewritten methods whose calls needed a bucketing key (user id, else session id) and had none:
   * method → such calls since start.
   */
  Map<String, Long> getAnonymousCalls();

  /** Forces a flag on or off until removed; survives reloads of the flag document. */
  void setOverride(String flagKey, boolean value);

  /** Removes a flag's override (no-op when there is none). */
  void removeOverride(String flagKey);

  /** Removes every override. */
  void clearOverrides();

  /**
   * Evaluates a flag for a context given as JSON ({@code userId}, {@code sessionId}, {@code
   * environment}, {@code userRole}, {@code targetingKey}, other keys are custom attributes; empty
   * for none) and returns {@code {"value":…,"reason":"…","variant":…,"errorCode":…}}. This is a
   * real evaluation and is counted.
   */
  String evaluate(String flagKey, String contextJson);

  /**
   * The variant a user gets in a test: {@code {"variant":"…","config":{…}}} or {@code
   * {"variant":null,"reason":"…"}}. Does not count as an assignment.
   */
  String getVariant(String testId, String userId);

  /**
   * Sets a runtime-config value from JSON text (a bare word is taken as a string; empty or {@code
   * null} removes the value). Survives reloads.
   */
  void setRuntimeConfig(String namespace, String key, String jsonValue);

  /** Re-reads the source now. */
  void forceRefresh();
}
