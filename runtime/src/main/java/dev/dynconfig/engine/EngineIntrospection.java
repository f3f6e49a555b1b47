package dev.dynconfig.engine;

import dev.dynconfig.AbTest;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.Subscription;
import dev.dynconfig.TestVariant;
import dev.dynconfig.internal.document.Document;
import java.util.Map;
import java.util.Set;

/**
 * What operators' tools (JMX, the agent, the server) see of a running engine, beyond the user API.
 * Reached through {@code DynamicConfig.introspection()}. Every method is thread-safe, never throws
 * for unknown keys (it returns null or zeros) and reflects the snapshot current at the call.
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

  /**
   * A flag's definition: a {@link dev.dynconfig.FeatureFlag} (native) or a {@link
   * dev.dynconfig.internal.document.FlagdFlag}; null when unknown.
   */
  Object flagDefinition(String flagKey);

  /** A flag's definition as JSON text, as written in its document; null when unknown. */
  String flagDefinitionJson(String flagKey);

  /** A test's definition; null when unknown. */
  AbTest test(String testId);

  /** A test's definition as JSON text, as written in its document; null when unknown. */
  String testDefinitionJson(String testId);

  /**
   * The flag's result for {@code callerDefault} when, in the current snapshot, it depends on
   * neither the context nor the clock (an override, an undefined flag, a flag without targeting,
   * rollout, environments, minimum role or expiry); null when it may. Valid until the next snapshot
   * swap. For callers that cache results per snapshot; see {@link ConstantResult}.
   */
  ConstantResult constantResult(String flagKey, Object callerDefault);

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
