package dev.dynconfig.internal.engine;

import dev.dynconfig.AbTest;
import dev.dynconfig.DynamicConfigState;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.FeatureFlag;
import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.Subscription;
import dev.dynconfig.internal.document.Document;
import dev.dynconfig.internal.document.FlagdFlag;
import dev.dynconfig.internal.document.FlagdFlag.VariantType;
import dev.dynconfig.internal.engine.ContextNeeds.Need;
import dev.dynconfig.internal.json.Json;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine as operators' tools see it ({@link EngineIntrospection}): reads answer from the {@link
 * Engine}'s current snapshot and the {@link EvaluationCounters}; changes go to the {@link
 * SnapshotBuilder}.
 */
final class Introspection implements EngineIntrospection {
  private static final Logger LOG = LoggerFactory.getLogger("dev.dynconfig");

  private final Engine engine;
  private final SnapshotBuilder builder;
  private final SourceLifecycle sources;
  private final EngineState state;
  private final ChangeListeners listeners;
  private final EvaluationCounters counters;

  Introspection(
      Engine engine,
      SnapshotBuilder builder,
      SourceLifecycle sources,
      EngineState state,
      ChangeListeners listeners,
      EvaluationCounters counters) {
    this.engine = engine;
    this.builder = builder;
    this.sources = sources;
    this.state = state;
    this.listeners = listeners;
    this.counters = counters;
  }

  @Override
  public long version() {
    return engine.snapshot().version;
  }

  @Override
  public String environment() {
    return engine.environment();
  }

  @Override
  public String sourceDescription() {
    return sources.describe();
  }

  @Override
  public Document document() {
    return engine.snapshot().document;
  }

  @Override
  public DynamicConfigState state() {
    return state.get();
  }

  @Override
  public Set<String> flagKeys() {
    return ChangeListeners.sorted(engine.snapshot().flags.keySet());
  }

  @Override
  public Set<String> testIds() {
    return ChangeListeners.sorted(engine.snapshot().tests.keySet());
  }

  @Override
  public VariantType flagdVariantType(String flagKey) {
    CompiledFlag f = flagKey == null ? null : engine.snapshot().flags.get(flagKey);
    return f != null && f.definition instanceof FlagdFlag flagd ? flagd.type() : null;
  }

  @Override
  public String flagDefinitionJson(String flagKey) {
    CompiledFlag f = flagKey == null ? null : engine.snapshot().flags.get(flagKey);
    return f == null ? null : Json.write(f.definitionTree);
  }

  @Override
  public AbTest test(String testId) {
    CompiledTest t = testId == null ? null : engine.snapshot().tests.get(testId);
    return t == null ? null : t.definition;
  }

  @Override
  public String testDefinitionJson(String testId) {
    CompiledTest t = testId == null ? null : engine.snapshot().tests.get(testId);
    return t == null ? null : Json.write(t.definitionTree);
  }

  @Override
  public ContextNeeds contextNeeds(String flagKey, Object callerDefault) {
    if (flagKey == null) {
      return new ContextNeeds(Need.FULL_CONTEXT, null, false, false);
    }
    Snapshot s = engine.snapshot(); // once: every part of the answer must come from one snapshot
    CompiledFlag flag = s.flags.get(flagKey);
    FlagEvaluation override = s.hasOverrides ? s.overrides.get(flagKey) : null;
    if (override != null) {
      return constant(override, flag, true, false);
    }
    if (flag == null) {
      return constant(
          CompiledFlag.notFound(flagKey, callerDefault, s.flagdDocument), null, false, false);
    }
    // A rollout makes a call without a bucketing key anonymous, whatever else the flag checks.
    boolean bucketed =
        flag.shape == CompiledFlag.ROLLOUT
            || flag.definition instanceof FeatureFlag f && f.rolloutPercentage() != null;
    if (flag.contextFree()) {
      try {
        FlagEvaluation result =
            flag.evaluate(EvaluationContext.empty(), callerDefault, engine.environment(), s);
        return constant(result, flag, true, bucketed);
      } catch (RuntimeException e) {
        LOG.warn("Reading the constant result of flag '{}' failed", flagKey, e);
        // the caller evaluates per call instead
      }
    }
    Need need = flag.shape == CompiledFlag.ROLLOUT ? Need.BUCKETING_KEY : Need.FULL_CONTEXT;
    return new ContextNeeds(need, null, true, bucketed);
  }

  private static ContextNeeds constant(
      FlagEvaluation result, CompiledFlag flag, boolean defined, boolean bucketed) {
    return new ContextNeeds(
        Need.NOTHING,
        new ConstantResult(result, flag == null ? null : flag.counters),
        defined,
        bucketed);
  }

  @Override
  public FlagEvaluation evaluate(String flagKey, EvaluationContext context) {
    return engine.evaluate(flagKey, context, null);
  }

  @Override
  public FlagCounts flagCounts(String flagKey) {
    return counters.flagCounts(flagKey);
  }

  @Override
  public Map<String, Long> assignmentCounts(String testId) {
    CompiledTest t = testId == null ? null : engine.snapshot().tests.get(testId);
    return counters.assignmentCounts(testId, t);
  }

  @Override
  public long unassignedCount(String testId) {
    return counters.unassignedCount(testId);
  }

  @Override
  public AssignmentResult explainAssignment(String testId, EvaluationContext context) {
    return engine.explainAssignment(testId, context);
  }

  @Override
  public void setOverride(String flagKey, Object value, String source) {
    builder.setOverride(flagKey, value, source);
  }

  @Override
  public void removeOverride(String flagKey, String source) {
    builder.removeOverride(flagKey, source);
  }

  @Override
  public Map<String, Object> overrides() {
    return engine.overrides();
  }

  @Override
  public Object runtimeConfig(String namespace, String key) {
    return engine.runtimeConfig(namespace, key);
  }

  @Override
  public void setRuntimeConfig(String namespace, String key, Object value) {
    builder.setRuntimeConfig(namespace, key, value);
  }

  @Override
  public void refresh() {
    sources.refresh();
  }

  @Override
  public Subscription subscribeToSnapshots(SnapshotListener listener) {
    return listeners.subscribeToSnapshots(listener);
  }
}
