package dev.dynconfig.internal.engine;

import dev.dynconfig.AbTest;
import dev.dynconfig.ConfigChangeEvent;
import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.DynamicConfigException;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.FeatureFlag;
import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.Reason;
import dev.dynconfig.internal.document.Document;
import dev.dynconfig.internal.document.DocumentParser;
import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.internal.json.Json;
import dev.dynconfig.internal.source.SourceSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write side of the engine: the layers a snapshot is built from, lowest first (flags and tests
 * registered from code, the document, then overrides and runtime config set from code), and the one
 * place that changes them. Every change happens under one lock, builds a new immutable {@link
 * Snapshot}, swaps it into the {@link Engine}, then publishes the change events ({@link
 * SnapshotDiff}) and tells the snapshot listeners, on the thread that made the change, in order,
 * while the lock is held (listeners should be quick). Sources deliver documents here ({@link
 * SourceSink}). Internal: public only so the facade in another package can reach it.
 */
public final class SnapshotBuilder implements SourceSink {
  private static final Logger LOG = LoggerFactory.getLogger("dev.dynconfig");

  private final Engine engine;
  private final EngineState state;
  private final ChangeListeners listeners;
  private final DocumentCompiler compiler;
  private final ReentrantLock lock = new ReentrantLock();

  /** A document was rejected since the last one was applied (see {@link #apply}). */
  private volatile boolean rejectedSinceApplied;

  // The layers (guarded by lock).
  private Document document;
  private long documentVersion = -1;
  private Map<String, CompiledFlag> documentFlags = Map.of();
  private Map<String, CompiledTest> documentTests = Map.of();
  private final Map<String, CompiledFlag> registeredFlags = new LinkedHashMap<>();
  private final Map<String, CompiledTest> registeredTests = new LinkedHashMap<>();
  private final Map<String, Object> overrides = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> localConfig = new LinkedHashMap<>();

  SnapshotBuilder(
      Engine engine, EngineState state, ChangeListeners listeners, EvaluationCounters counters) {
    this.engine = engine;
    this.state = state;
    this.listeners = listeners;
    DynamicConfigOptions options = engine.options();
    this.compiler = new DocumentCompiler(options.clock(), options.bucketing(), counters);
  }

  /** Registers a flag from code; a document flag with the same key takes precedence. */
  public void registerFlag(FeatureFlag flag) {
    Objects.requireNonNull(flag, "flag");
    lock.lock();
    try {
      Map<String, Object> tree = DefinitionTrees.flag(flag);
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("roles", document == null ? List.of() : document.roles());
      doc.put("flags", List.of(tree));
      Document d = validate(doc, "registerFlag(" + flag.key() + ")");
      FeatureFlag f = d.flags().get(0);
      registeredFlags.put(f.key(), compiler.registeredFlag(f, tree, d.rule(f.key())));
      rebuild("local");
    } finally {
      lock.unlock();
    }
  }

  /** Registers an A/B test from code; a document test with the same id takes precedence. */
  public void registerTest(AbTest test) {
    Objects.requireNonNull(test, "test");
    lock.lock();
    try {
      Map<String, Object> tree = DefinitionTrees.test(test);
      Document d = validate(Map.of("tests", List.of(tree)), "registerTest(" + test.id() + ")");
      AbTest t = d.tests().get(0);
      registeredTests.put(t.id(), compiler.registeredTest(t, tree));
      rebuild("local");
    } finally {
      lock.unlock();
    }
  }

  private static Document validate(Map<String, Object> tree, String origin) {
    try {
      return DocumentParser.validate(tree, origin);
    } catch (DocumentException e) {
      throw new DynamicConfigException(e.getMessage(), e);
    }
  }

  /** Sets (or, with null, removes) a runtime-config value from code; it survives reloads. */
  public void setRuntimeConfig(String namespace, String key, Object value) {
    if (namespace == null || key == null) {
      throw new DynamicConfigException("setRuntimeConfig needs a namespace and a key");
    }
    Object plain = plain(value, "runtime config " + namespace + "." + key);
    lock.lock();
    try {
      if (plain == null) {
        Map<String, Object> ns = localConfig.get(namespace);
        if (ns != null) {
          ns.remove(key);
        }
      } else {
        localConfig.computeIfAbsent(namespace, k -> new LinkedHashMap<>()).put(key, plain);
      }
      rebuild("local");
    } finally {
      lock.unlock();
    }
  }

  public void setOverride(String flagKey, Object value) {
    setOverride(flagKey, value, "override");
  }

  /** Sets an override (null removes it), naming who did it in the change event's source. */
  public void setOverride(String flagKey, Object value, String source) {
    if (flagKey == null) {
      throw new DynamicConfigException("setOverride needs a flag key");
    }
    if (value == null) {
      removeOverride(flagKey, source);
      return;
    }
    Object plain = plain(value, "override of " + flagKey);
    lock.lock();
    try {
      Object old = overrides.put(flagKey, plain);
      if (!Objects.equals(old, plain)) {
        LOG.info("Override {}: {} -> {} ({})", flagKey, old, plain, source);
        rebuild(null);
        listeners.publish(
            List.of(
                new ConfigChangeEvent(ConfigChangeEvent.FEATURES, flagKey, old, plain, source)));
      }
    } finally {
      lock.unlock();
    }
  }

  public void removeOverride(String flagKey) {
    removeOverride(flagKey, "override");
  }

  /** Removes an override, naming who did it in the change event's source. */
  public void removeOverride(String flagKey, String source) {
    lock.lock();
    try {
      if (flagKey != null && overrides.containsKey(flagKey)) {
        Object old = overrides.remove(flagKey);
        LOG.info("Override {}: {} -> (none) ({})", flagKey, old, source);
        rebuild(null);
        listeners.publish(
            List.of(new ConfigChangeEvent(ConfigChangeEvent.FEATURES, flagKey, old, null, source)));
      }
    } finally {
      lock.unlock();
    }
  }

  public void clearOverrides() {
    lock.lock();
    try {
      for (String key : new ArrayList<>(overrides.keySet())) {
        removeOverride(key, "override");
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public OfferResult offer(byte[] content, long version, String origin) {
    Document doc;
    try {
      doc = DocumentParser.load(content, origin);
    } catch (DocumentException e) {
      return reject(e.getMessage());
    } catch (RuntimeException e) {
      return reject(origin + ": could not be read: " + e);
    }
    try {
      return apply(doc, version);
    } catch (RuntimeException e) {
      // A validated document that still fails to compile is our bug, not the sender's: keep
      // serving the last good snapshot and say so, rather than throwing into a source's thread.
      LOG.error("{}: could not be applied (the last good version keeps serving)", origin, e);
      return reject(origin + ": could not be applied: " + e);
    }
  }

  /** Applies an already validated document. */
  OfferResult apply(Document doc, long transportVersion) {
    lock.lock();
    try {
      long current = engine.snapshot().version;
      if (transportVersion >= 0 && current >= 0 && transportVersion < current) {
        LOG.debug(
            "Ignoring version {} from {}: version {} is already served",
            transportVersion,
            doc.origin(),
            current);
        return OfferResult.STALE;
      }
      if (document != null
          && document.raw().equals(doc.raw())
          && (transportVersion < 0 || transportVersion == current)) {
        state.synced(current);
        if (rejectedSinceApplied) {
          // The good document is back after a rejection: say that it is what is served.
          rejectedSinceApplied = false;
          LOG.info("Applied {} (serving version {}, as before the rejection)", doc, current);
        }
        return OfferResult.UNCHANGED;
      }
      long effective =
          transportVersion >= 0
              ? transportVersion
              : doc.version() >= 0 ? doc.version() : Math.max(current, 0) + 1;
      DocumentCompiler.Compiled compiled = compiler.compile(doc);
      this.document = doc;
      this.documentVersion = effective;
      this.documentFlags = compiled.flags();
      this.documentTests = compiled.tests();
      rebuild(sourceLabel(doc.origin()));
      state.synced(effective);
      rejectedSinceApplied = false;
      LOG.info("Applied {} (serving version {})", doc, effective);
      for (Map.Entry<String, DocumentException.Problem> e : doc.brokenFlags().entrySet()) {
        LOG.warn(
            "{}: flag '{}' is broken and serves the caller's default (error PARSE_ERROR) until"
                + " the file is fixed; every other flag works. {}",
            doc.origin(),
            e.getKey(),
            e.getValue());
      }
      state.documentApplied();
      return OfferResult.APPLIED;
    } finally {
      lock.unlock();
    }
  }

  private OfferResult reject(String message) {
    rejectedSinceApplied = true;
    long serving = engine.snapshot().version;
    LOG.warn(
        "Rejected a flag document; still serving {}. Fix the document and save it again.\n{}",
        serving < 0 ? "code defaults" : "version " + serving,
        message);
    state.rejected(message);
    return OfferResult.REJECTED;
  }

  @Override
  public void status(ConnectionStatus status, String error) {
    state.status(status, error);
  }

  @Override
  public long currentVersion() {
    return engine.snapshot().version;
  }

  private static String sourceLabel(String origin) {
    if (origin == null) {
      return "local";
    }
    String o = origin.toLowerCase(java.util.Locale.ROOT);
    return o.startsWith("http:")
            || o.startsWith("https:")
            || o.startsWith("ws:")
            || o.startsWith("wss:")
        ? "remote"
        : "file";
  }

  /**
   * Builds and publishes a new snapshot from the layers; then publishes change events (definitions
   * and config) labelled {@code source}, or none when {@code source} is null.
   */
  private void rebuild(String source) {
    Snapshot old = engine.snapshot();
    Map<String, CompiledFlag> flags = new HashMap<>(registeredFlags);
    flags.putAll(documentFlags);
    Map<String, CompiledTest> tests = new HashMap<>(registeredTests);
    tests.putAll(documentTests);
    Map<String, Integer> ranks = new HashMap<>();
    if (document != null) {
      List<String> roles = document.roles();
      for (int i = 0; i < roles.size(); i++) {
        ranks.put(roles.get(i), i);
      }
    }
    Map<String, FlagEvaluation> overrideResults = new HashMap<>();
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      CompiledFlag f = flags.get(e.getKey());
      String variant = f != null && f.definition instanceof FeatureFlag ff ? ff.variant() : null;
      overrideResults.put(
          e.getKey(),
          new FlagEvaluation(
              e.getValue(),
              Reason.OVERRIDE,
              variant,
              null,
              null,
              f == null ? Map.of() : f.metadata));
    }
    Map<String, Map<String, Object>> config = new HashMap<>();
    if (document != null) {
      config.putAll(document.config());
    }
    for (Map.Entry<String, Map<String, Object>> e : localConfig.entrySet()) {
      Map<String, Object> merged = new LinkedHashMap<>(config.getOrDefault(e.getKey(), Map.of()));
      merged.putAll(e.getValue());
      config.put(e.getKey(), Collections.unmodifiableMap(merged));
    }
    Snapshot next =
        new Snapshot(
            document == null ? old.version : documentVersion,
            document,
            flags,
            tests,
            ranks,
            overrideResults,
            Collections.unmodifiableMap(new LinkedHashMap<>(overrides)),
            config);
    engine.swap(next);
    if (source != null) {
      listeners.publish(SnapshotDiff.events(old, next, source));
    }
    listeners.swapped(next);
  }

  /** Freezes a value into plain, unmodifiable JSON values so snapshots cannot be mutated. */
  private static Object plain(Object value, String what) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Long
        || value instanceof Integer
        || value instanceof Double) {
      return value instanceof Integer i ? Long.valueOf(i) : value;
    }
    try {
      return Json.read(Json.mapper().writeValueAsBytes(value), what);
    } catch (DocumentException | java.io.IOException e) {
      throw new DynamicConfigException(
          what + ": value cannot be stored as JSON: " + e.getMessage(), e);
    }
  }
}
