package dev.dynconfig.internal.engine;

import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.internal.source.ConfigSource;
import java.util.function.Supplier;

/**
 * One engine's parts, wired together: what the facade holds. Internal: public only so the facade in
 * another package can reach it.
 *
 * @param reader evaluation against the current snapshot (the read side)
 * @param writer the layers and every change to them; the sink sources deliver documents to
 * @param sources the source's start, fallback and stop
 * @param state the state and its listeners
 * @param listeners change-event subscriptions
 * @param introspection what operators' tools see and do
 */
public record EngineParts(
    Engine reader,
    SnapshotBuilder writer,
    SourceLifecycle sources,
    EngineState state,
    ChangeListeners listeners,
    EngineIntrospection introspection) {

  /**
   * @param sourceFactory creates the source the options ask for (null for none), once per {@code
   *     initialize()} that starts one
   */
  public static EngineParts create(
      DynamicConfigOptions options, Supplier<ConfigSource> sourceFactory) {
    Engine engine = new Engine(options);
    EngineState state = new EngineState(options.clock());
    ChangeListeners listeners = new ChangeListeners();
    EvaluationCounters counters = new EvaluationCounters();
    SnapshotBuilder writer = new SnapshotBuilder(engine, state, listeners, counters);
    SourceLifecycle sources = new SourceLifecycle(options, sourceFactory, writer, state);
    return new EngineParts(
        engine,
        writer,
        sources,
        state,
        listeners,
        new Introspection(engine, writer, sources, state, listeners, counters));
  }
}
