package dev.dynconfig.internal.engine;

import dev.dynconfig.AbTest;
import dev.dynconfig.DynamicConfigState;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.Subscription;
import dev.dynconfig.TestVariant;
import dev.dynconfig.internal.document.Document;
import dev.dynconfig.internal.document.FlagdFlag.VariantType;
import java.util.Map;
import java.util.Set;

/**
 * What operators' tools (JMX, the agent, the server) see of a running engine and may do to it,
 * beyond the user API. Reached through {@code DynamicConfig.introspection()}. Every method is
 * thread-safe, never throws for unknown keys (it returns null or zeros) and reflects the snapshot
 * current at the call.
 */
public interface EngineIntrospection {

  /** The version of the snapshot being served, or -1 before the first document. */
  long version();

  /** The engine's configured environment (used when a context names none). */
  String environment();

  /** The source, e.g. {@code file:/etc/flags.json}, or {@code none}. */
  String sourceDescription();

  /** The current document, or null when only code-registered flags are served. */
  Document document();

  /** Keys of all flags in the current snapshot (document and code-registered), sorted. */
  Set<String> flagKeys();

  /** Ids of all A/B tests in the current snapshot, sorted. */
  Set<String> testIds();

  /** The state: initialized, syncing, connection, last sync, last error, version. */
  DynamicConfigState state();

  /**
   * The variant type of a flagd flag (its values are of that JSON type); null for a native flag
   * (boolean) or an unknown key.
   */
  VariantType flagdVariantType(String flagKey);

  /** A flag's definition as JSON text, as written in its document; null when unknown. */
  String flagDefinitionJson(String flagKey);

  /** A test's definition; null when unknown. */
  AbTest test(String testId);

  /** A test's definition as JSON text, as written in its document; null when unknown. */
  String testDefinitionJson(String testId);

  /**
   * What the flag's result for {@code callerDefault} depends on in the current snapshot, with the
   * result itself when it is constant; valid until the next snapshot swap ({@link
   * #subscribeToSnapshots}). For callers that read no more of a context than a flag needs and cache
   * results per snapshot (the agent's rewritten methods).
   */
  ContextNeeds contextNeeds(String flagKey, Object callerDefault);

  /** Evaluates a flag as {@code DynamicConfig.evaluateFlag} does. Never throws. */
  FlagEvaluation evaluate(String flagKey, EvaluationContext context);

  /**
   * How often the flag evaluated to true, false and anything else (since start; zeros if never).
   */
  FlagCounts flagCounts(String flagKey);

  /**
   * How often each variant of a test was assigned (variant id → count, in document order, since
   * start); empty when the test is unknown.
   */
  Map<String, Long> assignmentCounts(String testId);

  /** How often a test was asked for but assigned no variant. */
  long unassignedCount(String testId);

  /** The assignment for a context with the reason when there is none (for CLI and JMX). */
  AssignmentResult explainAssignment(String testId, EvaluationContext context);

  /**
   * Sets an override, naming who did it in the change event's {@code source} (e.g. {@code jmx}). A
   * null value removes it.
   */
  void setOverride(String flagKey, Object value, String source);

  /** Removes an override, naming who did it in the change event's {@code source}. */
  void removeOverride(String flagKey, String source);

  /** The current overrides (unmodifiable). */
  Map<String, Object> overrides();

  /** A runtime-config value as plain JSON values, or null. */
  Object runtimeConfig(String namespace, String key);

  /**
   * Sets (or, with null, removes) a runtime-config value, as {@code
   * DynamicConfig.setRuntimeConfig}.
   *
   * @throws dev.dynconfig.DynamicConfigException when the value cannot be stored as JSON
   */
  void setRuntimeConfig(String namespace, String key, Object value);

  /** Re-reads the source now (no-op without one). */
  void refresh();

  /**
   * Calls {@code listener} after every snapshot swap (document, registration, override or config
   * change), on the thread that made the change.
   */
  Subscription subscribeToSnapshots(SnapshotListener listener);

  /** Evaluation counts of a flag. */
  record FlagCounts(long trueCount, long falseCount, long otherCount) {}

  /** An A/B assignment: the variant, or null with the reason (e.g. {@code test is not running}). */
  record AssignmentResult(TestVariant variant, String reason) {}

  /** What a snapshot listener is told. */
  record SnapshotInfo(long version, Set<String> flagKeys, Set<String> testIds) {}

  /** Receives {@link SnapshotInfo} after each swap. Exceptions are logged and ignored. */
  @FunctionalInterface
  interface SnapshotListener {
    void onSwap(SnapshotInfo info);
  }
}
