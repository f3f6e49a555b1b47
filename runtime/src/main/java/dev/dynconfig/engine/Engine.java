package dev.dynconfig.engine;

import dev.dynconfig.AbTest;
import dev.dynconfig.BucketingVersion;
import dev.dynconfig.ConfigChangeEvent;
import dev.dynconfig.ConfigListener;
import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.DynamicConfigException;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.DynamicConfigState;
import dev.dynconfig.ErrorCode;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.FeatureFlag;
import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.Reason;
import dev.dynconfig.SourceKind;
import dev.dynconfig.Subscription;
import dev.dynconfig.TestVariant;
import dev.dynconfig.internal.document.Document;
import dev.dynconfig.internal.document.DocumentParser;
import dev.dynconfig.internal.document.FlagdFlag;
import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.internal.json.Json;
import dev.dynconfig.internal.rules.Bucketing;
import dev.dynconfig.internal.source.ConfigSource;
import dev.dynconfig.internal.source.SourceSink;
import dev.dynconfig.internal.source.remote.RemoteSources;
import java.lang.reflect.Type;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link dev.dynconfig.DynamicConfig}. Internal: use {@code DynamicConfig}; this
 * class is public only so the facade in another package can reach it.
 *
 * <p>Concurrency: every change (document, registration, override, runtime config) happens under one
 * lock, builds a new immutable {@link Snapshot} and publishes it through one volatile field;
 * evaluations never lock and read that field once. Change events are delivered on the thread that
 * made the change, in order, while the lock is held — listeners should be quick.
 */
public final class Engine implements SourceSink, EngineIntrospection {
  private static final Logger LOG = LoggerFactory.getLogger("dev.dynconfig");

  private final DynamicConfigOptions options;
  private final Clock clock;
  private final String environment;
  private final ReentrantLock lock = new ReentrantLock();

  private volatile Snapshot snapshot = Snapshot.empty();

  /** A document was rejected since the last one was applied (see {@link #apply}). */
  private volatile boolean rejectedSinceApplied;

  // --- layers the snapshot is built from (guarded by lock) ---
  private Document document;
  private long documentVersion = -1;
  private Map<String, CompiledFlag> documentFlags = Map.of();
  private Map<String, CompiledTest> documentTests = Map.of();
  private final Map<String, CompiledFlag> registeredFlags = new LinkedHashMap<>();
  private final Map<String, CompiledTest> registeredTests = new LinkedHashMap<>();
  private final Map<String, Object> overrides = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> localConfig = new LinkedHashMap<>();

  private final ConcurrentHashMap<String, FlagCounters> flagCounters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompiledTest.TestCounters> testCounters =
      new ConcurrentHashMap<>();

  private final CopyOnWriteArrayList<ConfigSubscription> configListeners =
      new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Consumer<DynamicConfigState>> stateListeners =
      new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<SnapshotListener> snapshotListeners =
      new CopyOnWriteArrayList<>();

  private final AtomicReference<DynamicConfigState> state =
      new AtomicReference<>(
          new DynamicConfigState(false, false, null, ConnectionStatus.DISCONNECTED, null, -1));
  private final CountDownLatch firstDocument = new CountDownLatch(1);
  private final Object lifecycle = new Object();
  private volatile ConfigSource source;

  /** Creates an engine serving nothing but code defaults until a document arrives. */
  public Engine(DynamicConfigOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.clock = options.clock();
    this.environment = options.environment();
  }

  public DynamicConfigOptions options() {
    return options;
  }

  // ===============================================================================================
  // evaluation (hot path: no locks, no allocation for flags in the snapshot)

  /**
   * Evaluates a flag. Never throws.
   *
   * @param callerDefault the caller's fallback, or null
   */
  public FlagEvaluation evaluate(String key, EvaluationContext context, Object callerDefault) {
    // Kept small on purpose (it must stay within C2's inlining limits, so it inlines into the
    // caller): for the common flag shapes it reads the few context fields it needs and never hands
    // the context to a call that might not be inlined, so a context built per request does not
    // escape and is scalar-replaced (0 B/op, see BENCHMARKS.md). Everything else is out of line.
    Snapshot s = snapshot;
    CompiledFlag flag;
    if (key != null
        && context != null
        && !s.hasOverrides
        && (callerDefault == null || callerDefault instanceof Boolean)
        && (flag = s.byIdentity(key)) != null
        && flag.shape != CompiledFlag.GENERAL) {
      try {
        NativeFlag f = (NativeFlag) flag;
        FlagEvaluation result;
        if (flag.shape == CompiledFlag.STATIC) {
          result = f.staticResult();
        } else {
          String name = f.attributeName;
          result =
              f.evaluateFast(context.bucketingKey(), name == null ? null : context.attribute(name));
        }
        if (result != null) {
          flag.counters.record(result.value());
          return result;
        }
      } catch (RuntimeException e) {
        return failed(key, callerDefault, e);
      }
    }
    return evaluateOther(s, key, context, callerDefault);
  }

  /**
   * As {@link #evaluate} with {@code EvaluationContext.ofUser(userId)}, without building that
   * context: the flag shapes {@link #evaluate} handles inline need only the bucketing key (here the
   * user id) and a custom attribute (here absent), so they allocate nothing even when the caller
   * cannot be inlined into. Other shapes build the context. Never throws.
   */
  public FlagEvaluation evaluateForUser(String key, String userId, Object callerDefault) {
    Snapshot s = snapshot;
    CompiledFlag flag;
    if (key != null
        && !s.hasOverrides
        && (callerDefault == null || callerDefault instanceof Boolean)
        && (flag = s.byIdentity(key)) != null
        && flag.shape != CompiledFlag.GENERAL) {
      try {
        NativeFlag f = (NativeFlag) flag;
        FlagEvaluation result =
            flag.shape == CompiledFlag.STATIC ? f.staticResult() : f.evaluateFast(userId, null);
        if (result != null) {
          flag.counters.record(result.value());
          return result;
        }
      } catch (RuntimeException e) {
        return failed(key, callerDefault, e);
      }
    }
    return evaluateOther(
        s,
        key,
        userId == null ? EvaluationContext.empty() : EvaluationContext.ofUser(userId),
        callerDefault);
  }

  /** Everything {@link #evaluate} does not handle inline: overrides, unknown keys, other shapes. */
  private FlagEvaluation evaluateOther(
      Snapshot s, String key, EvaluationContext context, Object callerDefault) {
    try {
      if (key == null) {
        return CompiledFlag.notFound("null", callerDefault, s.flagdDocument);
      }
      if (context == null) {
        context = EvaluationContext.empty();
      }
      CompiledFlag flag = s.flags.get(key);
      FlagEvaluation result;
      if (s.hasOverrides && (result = s.overrides.get(key)) != null) {
        // an override wins over everything, including an unknown key
      } else if (flag == null) {
        return CompiledFlag.notFound(key, callerDefault, s.flagdDocument);
      } else {
        String env = context.environment();
        result = flag.evaluate(context, callerDefault, env != null ? env : environment, s);
      }
      if (flag != null) {
        flag.counters.record(result.value());
      }
      return result;
    } catch (RuntimeException e) {
      return failed(key, callerDefault, e);
    }
  }

  private static FlagEvaluation failed(String key, Object callerDefault, RuntimeException e) {
    // Evaluation must never throw into application code.
    LOG.warn("Evaluating flag '{}' failed; serving the caller's default", key, e);
    return CompiledFlag.error(callerDefault, ErrorCode.GENERAL, "evaluation failed: " + e);
  }

  /** {@code true} iff the flag evaluates to {@link Boolean#TRUE}. Never throws. */
  public boolean isEnabled(String key, EvaluationContext context) {
    return evaluate(key, context, Boolean.FALSE).value() == Boolean.TRUE;
  }

  /** The assigned variant, or null (see {@link #explainAssignment}). Never throws. */
  public TestVariant variant(String testId, String bucketingKey, String contextEnvironment) {
    try {
      CompiledTest t = testId == null ? null : snapshot.tests.get(testId);
      if (t == null) {
        return null;
      }
      int i =
          t.assign(
              bucketingKey, contextEnvironment != null ? contextEnvironment : environment, clock);
      if (i < 0) {
        t.unassigned.increment();
        return null;
      }
      t.assignments[i].increment();
      return t.variants[i];
    } catch (RuntimeException e) {
      LOG.warn("Assigning test '{}' failed; no variant", testId, e);
      return null;
    }
  }

  @Override
  public AssignmentResult explainAssignment(String testId, EvaluationContext context) {
    EvaluationContext c = context == null ? EvaluationContext.empty() : context;
    CompiledTest t = testId == null ? null : snapshot.tests.get(testId);
    if (t == null) {
      return new AssignmentResult(null, "no test with this id");
    }
    String env = c.environment() != null ? c.environment() : environment;
    int i = t.assign(c.bucketingKey(), env, clock);
    return i < 0
        ? new AssignmentResult(null, CompiledTest.explain(i))
        : new AssignmentResult(t.variants[i], "assigned");
  }

  // ===============================================================================================
  // runtime config

  public Object runtimeConfig(String namespace, String key) {
    Map<String, Object> ns = namespace == null ? null : snapshot.config.get(namespace);
    return ns == null || key == null ? null : ns.get(key);
  }

  /**
   * The value converted to {@code type} (Jackson {@code convertValue}); null when absent.
   *
   * @throws DynamicConfigException when the value cannot be converted
   */
  public Object runtimeConfig(String namespace, String key, Type type) {
    Object value = runtimeConfig(namespace, key);
    if (value == null) {
      return null;
    }
    try {
      return Json.convert(value, type);
    } catch (IllegalArgumentException e) {
      throw new DynamicConfigException(
          "runtime config "
              + namespace
              + "."
              + key
              + " = "
              + Json.render(value)
              + " cannot be converted to "
              + type.getTypeName()
              + ": "
              + e.getMessage(),
          e);
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

  // ===============================================================================================
  // registration from code

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
      registeredFlags.put(
          f.key(),
          new NativeFlag(f, tree, d.rule(f.key()), counters(f.key()), clock, codeBucketing()));
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
      registeredTests.put(t.id(), new CompiledTest(t, tree, testCounters(t.id()), codeBucketing()));
      rebuild("local");
    } finally {
      lock.unlock();
    }
  }

  /** The bucketing version of flags and tests registered from code: the engine's option. */
  private int codeBucketing() {
    return bucketingNumber(options.bucketing());
  }

  private static int bucketingNumber(BucketingVersion v) {
    switch (v) {
      case V1:
        return Bucketing.V1;
      case V3:
        return Bucketing.V3;
      default:
        return Bucketing.V2;
    }
  }

  private static Document validate(Map<String, Object> tree, String origin) {
    try {
      return DocumentParser.validate(tree, origin);
    } catch (DocumentException e) {
      throw new DynamicConfigException(e.getMessage(), e);
    }
  }

  // ===============================================================================================
  // overrides

  public void setOverride(String flagKey, Object value) {
    setOverride(flagKey, value, "override");
  }

  @Override
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
        publish(
            List.of(
                new ConfigChangeEvent(ConfigChangeEvent.FEATURES, flagKey, old, plain, source)));
      }
    } finally {
      lock.unlock();
    }
  }

  public Object getOverride(String flagKey) {
    return flagKey == null ? null : snapshot.overrideValues.get(flagKey);
  }

  public void removeOverride(String flagKey) {
    removeOverride(flagKey, "override");
  }

  @Override
  public void removeOverride(String flagKey, String source) {
    lock.lock();
    try {
      if (flagKey != null && overrides.containsKey(flagKey)) {
        Object old = overrides.remove(flagKey);
        LOG.info("Override {}: {} -> (none) ({})", flagKey, old, source);
        rebuild(null);
        publish(
            List.of(new ConfigChangeEvent(ConfigChangeEvent.FEATURES, flagKey, old, null, source)));
      }
    } finally {
      lock.unlock();
    }
  }

  public Map<String, Object> overrides() {
    return snapshot.overrideValues;
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

  // ===============================================================================================
  // documents from sources

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

  /** Applies an already validated document (CLI, tests, sources that parse themselves). */
  public OfferResult apply(Document doc, long transportVersion) {
    lock.lock();
    try {
      long current = snapshot.version;
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
        updateState(s -> withSync(s, current));
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
      // The document's own bucketing setting wins over the engine's option.
      int bucketing =
          bucketingNumber(doc.bucketing() != null ? doc.bucketing() : options.bucketing());
      Map<String, CompiledFlag> flags = new HashMap<>();
      for (FeatureFlag f : doc.flags()) {
        flags.put(
            f.key(),
            new NativeFlag(
                f, doc.rawFlag(f.key()), doc.rule(f.key()), counters(f.key()), clock, bucketing));
      }
      for (FlagdFlag f : doc.flagdFlags()) {
        flags.put(
            f.key(),
            new FlagdCompiled(
                f,
                doc.rawFlag(f.key()),
                doc.rule(f.key()),
                counters(f.key()),
                clock,
                doc.metadata(),
                doc.brokenFlags().get(f.key()),
                bucketing));
      }
      Map<String, CompiledTest> tests = new HashMap<>();
      for (AbTest t : doc.tests()) {
        tests.put(
            t.id(), new CompiledTest(t, doc.rawTest(t.id()), testCounters(t.id()), bucketing));
      }
      this.document = doc;
      this.documentVersion = effective;
      this.documentFlags = flags;
      this.documentTests = tests;
      rebuild(sourceLabel(doc.origin()));
      updateState(s -> withSync(s, effective));
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
      firstDocument.countDown();
      return OfferResult.APPLIED;
    } finally {
      lock.unlock();
    }
  }

  private DynamicConfigState withSync(DynamicConfigState s, long version) {
    return new DynamicConfigState(
        s.initialized(), false, clock.instant(), s.connectionStatus(), null, version);
  }

  private OfferResult reject(String message) {
    rejectedSinceApplied = true;
    long serving = snapshot.version;
    LOG.warn(
        "Rejected a flag document; still serving {}. Fix the document and save it again.\n{}",
        serving < 0 ? "code defaults" : "version " + serving,
        message);
    updateState(
        s ->
            new DynamicConfigState(
                s.initialized(),
                false,
                s.lastSyncedAt(),
                s.connectionStatus(),
                message,
                s.version()));
    return OfferResult.REJECTED;
  }

  @Override
  public void status(ConnectionStatus status, String error) {
    updateState(
        s ->
            new DynamicConfigState(
                s.initialized(),
                status == ConnectionStatus.CONNECTING,
                s.lastSyncedAt(),
                status,
                error != null ? error : s.lastError(),
                s.version()));
  }

  @Override
  public long currentVersion() {
    return snapshot.version;
  }

  /** Whether a document has been applied since the engine started. */
  public boolean hasDocument() {
    return firstDocument.getCount() == 0;
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

  // ===============================================================================================
  // lifecycle

  /**
   * Starts the configured source and waits for its first document as the options say; applies the
   * fallback when none arrives.
   *
   * @throws DynamicConfigException with {@code fallback=throw} when no valid document arrived, or
   *     when the source kind is not available
   */
  public void initialize() {
    synchronized (lifecycle) {
      if (state.get().initialized()) {
        return;
      }
      ConfigSource src = SourceFactory.create(options);
      if (src != null) {
        this.source = src;
        status(ConnectionStatus.CONNECTING, null);
        src.start(this);
        awaitFirstDocument(src);
        if (!hasDocument()) {
          String why = state.get().lastError();
          String message =
              "dynconfig could not load a valid document from "
                  + src.describe()
                  + (why == null ? "" : ": " + why);
          switch (options.fallback()) {
            case THROW:
              src.close();
              this.source = null;
              throw new DynamicConfigException(message + " (fallback=throw)");
            case CACHE:
              if (isNetworkSource()) {
                // The server could not be reached in time: serve the offline cache if it is
                // younger than cacheDuration (the outcome says which, for the log).
                RemoteSources.CacheOutcome cached = RemoteSources.offerCache(options, this);
                LOG.warn(
                    "{}\n{}; the live document is applied as soon as the server answers.",
                    message,
                    cached.message());
                break;
              }
              warnCodeDefaults(message);
              break;
            case DEFAULT:
            default:
              warnCodeDefaults(message);
          }
        }
      }
      updateState(
          s ->
              new DynamicConfigState(
                  true,
                  s.syncing(),
                  s.lastSyncedAt(),
                  src == null ? ConnectionStatus.DISCONNECTED : s.connectionStatus(),
                  s.lastError(),
                  s.version()));
    }
  }

  private boolean isNetworkSource() {
    return options.source() == SourceKind.REMOTE || options.source() == SourceKind.WEBSOCKET;
  }

  private void warnCodeDefaults(String message) {
    LOG.warn(
        "{}\nStarting on code defaults (fallback={}); the document is applied as soon as"
            + " a valid one arrives.",
        message,
        options.fallback().name().toLowerCase(java.util.Locale.ROOT));
  }

  private void awaitFirstDocument(ConfigSource src) {
    if (hasDocument() || options.initTimeout().isZero()) {
      return;
    }
    if (options.source() == SourceKind.FILE) {
      return; // the file source reads synchronously in start()
    }
    try {
      if (!firstDocument.await(options.initTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "No document from {} within initTimeout={}; starting without it",
            src.describe(),
            options.initTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Re-reads the source now (no-op without one). */
  public void refresh() {
    ConfigSource s = source;
    if (s != null) {
      s.refresh();
    }
  }

  /** Stops the source's background work; the current snapshot keeps serving. */
  public void stopSource() {
    ConfigSource s = source;
    source = null;
    if (s != null) {
      s.close();
      status(ConnectionStatus.DISCONNECTED, null);
    }
  }

  /**
   * Stops the source and marks the engine shut down; evaluation keeps serving the last snapshot.
   */
  public void shutdown() {
    synchronized (lifecycle) {
      stopSource();
      updateState(
          s ->
              new DynamicConfigState(
                  false,
                  false,
                  s.lastSyncedAt(),
                  ConnectionStatus.DISCONNECTED,
                  s.lastError(),
                  s.version()));
    }
  }

  // ===============================================================================================
  // state and listeners

  public DynamicConfigState state() {
    return state.get();
  }

  public Subscription subscribeToState(Consumer<DynamicConfigState> listener) {
    Objects.requireNonNull(listener, "listener");
    stateListeners.add(listener);
    return () -> stateListeners.remove(listener);
  }

  private void updateState(UnaryOperator<DynamicConfigState> change) {
    DynamicConfigState before;
    DynamicConfigState after;
    do {
      before = state.get();
      after = change.apply(before);
    } while (!state.compareAndSet(before, after));
    // Checking for listeners first is not only quicker: the record's equals() is bootstrapped
    // through invokedynamic (~50 generated classes) on first use, on the start-up path.
    if (!stateListeners.isEmpty() && !after.equals(before)) {
      for (Consumer<DynamicConfigState> l : stateListeners) {
        try {
          l.accept(after);
        } catch (RuntimeException | Error e) {
          LOG.warn("A state listener ({}) threw; ignoring it", l.getClass().getName(), e);
        }
      }
    }
  }

  /**
   * Subscribes to changes of {@code namespace}/{@code key}; null (or {@code *}) for either matches
   * everything.
   */
  public Subscription subscribeToConfig(String namespace, String key, ConfigListener listener) {
    Objects.requireNonNull(listener, "listener");
    ConfigSubscription sub = new ConfigSubscription(wildcard(namespace), wildcard(key), listener);
    configListeners.add(sub);
    return () -> configListeners.remove(sub);
  }

  private static String wildcard(String s) {
    return s == null || s.equals("*") ? null : s;
  }

  private record ConfigSubscription(String namespace, String key, ConfigListener listener) {
    boolean matches(ConfigChangeEvent e) {
      return (namespace == null || namespace.equals(e.namespace()))
          && (key == null || key.equals(e.key()));
    }
  }

  private void publish(List<ConfigChangeEvent> events) {
    for (ConfigChangeEvent e : events) {
      for (ConfigSubscription s : configListeners) {
        if (s.matches(e)) {
          try {
            s.listener().onChange(e);
          } catch (RuntimeException | Error ex) {
            // Errors too (an OutOfMemoryError or StackOverflowError in someone's listener): thrown
            // on, they would skip the remaining listeners (the agent's among them) and kill the
            // source's thread, so no later document would ever be applied.
            LOG.warn(
                "A config listener ({}) for {}/{} threw; other listeners still run",
                s.listener().getClass().getName(),
                e.namespace(),
                e.key(),
                ex);
          }
        }
      }
    }
  }

  @Override
  public Subscription subscribeToSnapshots(SnapshotListener listener) {
    Objects.requireNonNull(listener, "listener");
    snapshotListeners.add(listener);
    return () -> snapshotListeners.remove(listener);
  }

  // ===============================================================================================
  // snapshot building (under lock)

  /**
   * Builds and publishes a new snapshot from the layers; then publishes change events (definitions
   * and config) labelled {@code source}, or none when {@code source} is null.
   */
  private void rebuild(String source) {
    Snapshot old = snapshot;
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
    snapshot = next;
    if (source != null) {
      publish(diff(old, next, source));
    }
    if (!snapshotListeners.isEmpty()) {
      SnapshotInfo info =
          new SnapshotInfo(next.version, sorted(flags.keySet()), sorted(tests.keySet()));
      for (SnapshotListener l : snapshotListeners) {
        try {
          l.onSwap(info);
        } catch (RuntimeException | Error e) {
          LOG.warn("A snapshot listener ({}) threw; ignoring it", l.getClass().getName(), e);
        }
      }
    }
  }

  private static List<ConfigChangeEvent> diff(Snapshot old, Snapshot next, String source) {
    List<ConfigChangeEvent> events = new ArrayList<>();
    Set<String> keys = new TreeSet<>(old.flags.keySet());
    keys.addAll(next.flags.keySet());
    for (String k : keys) {
      CompiledFlag a = old.flags.get(k);
      CompiledFlag b = next.flags.get(k);
      Object da = a == null ? null : a.definition;
      Object db = b == null ? null : b.definition;
      if (!Objects.equals(da, db)) {
        events.add(new ConfigChangeEvent(ConfigChangeEvent.FEATURES, k, da, db, source));
      }
    }
    Set<String> ids = new TreeSet<>(old.tests.keySet());
    ids.addAll(next.tests.keySet());
    for (String id : ids) {
      CompiledTest a = old.tests.get(id);
      CompiledTest b = next.tests.get(id);
      Object da = a == null ? null : a.definition;
      Object db = b == null ? null : b.definition;
      if (!Objects.equals(da, db)) {
        events.add(new ConfigChangeEvent(TESTS, id, da, db, source));
      }
    }
    Set<String> namespaces = new TreeSet<>(old.config.keySet());
    namespaces.addAll(next.config.keySet());
    for (String ns : namespaces) {
      Map<String, Object> a = old.config.getOrDefault(ns, Map.of());
      Map<String, Object> b = next.config.getOrDefault(ns, Map.of());
      Set<String> ks = new TreeSet<>(a.keySet());
      ks.addAll(b.keySet());
      for (String k : ks) {
        if (!Objects.equals(a.get(k), b.get(k))) {
          events.add(new ConfigChangeEvent(ns, k, a.get(k), b.get(k), source));
        }
      }
    }
    return events;
  }

  /** The namespace under which A/B test definition changes are published. */
  public static final String TESTS = "tests";

  private FlagCounters counters(String key) {
    return flagCounters.computeIfAbsent(key, k -> new FlagCounters());
  }

  private CompiledTest.TestCounters testCounters(String id) {
    return testCounters.computeIfAbsent(id, k -> new CompiledTest.TestCounters());
  }

  private static Set<String> sorted(Set<String> s) {
    return Collections.unmodifiableSet(new TreeSet<>(s));
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

  // ===============================================================================================
  // introspection

  @Override
  public long version() {
    return snapshot.version;
  }

  @Override
  public String environment() {
    return environment;
  }

  @Override
  public String sourceDescription() {
    ConfigSource s = source;
    return s == null ? "none" : s.describe();
  }

  @Override
  public Document document() {
    return snapshot.document;
  }

  @Override
  public Set<String> flagKeys() {
    return sorted(snapshot.flags.keySet());
  }

  @Override
  public Set<String> testIds() {
    return sorted(snapshot.tests.keySet());
  }

  @Override
  public Object flagDefinition(String flagKey) {
    CompiledFlag f = flagKey == null ? null : snapshot.flags.get(flagKey);
    return f == null ? null : f.definition;
  }

  @Override
  public String flagDefinitionJson(String flagKey) {
    CompiledFlag f = flagKey == null ? null : snapshot.flags.get(flagKey);
    return f == null ? null : Json.write(f.definitionTree);
  }

  @Override
  public AbTest test(String testId) {
    CompiledTest t = testId == null ? null : snapshot.tests.get(testId);
    return t == null ? null : t.definition;
  }

  @Override
  public String testDefinitionJson(String testId) {
    CompiledTest t = testId == null ? null : snapshot.tests.get(testId);
    return t == null ? null : Json.write(t.definitionTree);
  }

  @Override
  public ConstantResult constantResult(String flagKey, Object callerDefault) {
    if (flagKey == null) {
      return null;
    }
    try {
      Snapshot s = snapshot; // once: the result and the test below must come from one snapshot
      CompiledFlag flag = s.flags.get(flagKey);
      FlagEvaluation result = s.hasOverrides ? s.overrides.get(flagKey) : null;
      if (result == null) {
        if (flag == null) {
          result = CompiledFlag.notFound(flagKey, callerDefault, s.flagdDocument);
        } else if (flag.contextFree()) {
          result = flag.evaluate(EvaluationContext.empty(), callerDefault, environment, s);
        } else {
          return null;
        }
      }
      return new ConstantResult(result, flag == null ? null : flag.counters);
    } catch (RuntimeException e) {
      LOG.warn("Reading the constant result of flag '{}' failed", flagKey, e);
      return null; // the caller evaluates per call instead
    }
  }

  @Override
  public FlagCounts flagCounts(String flagKey) {
    FlagCounters c = flagKey == null ? null : flagCounters.get(flagKey);
    return c == null ? new FlagCounts(0, 0, 0) : c.snapshot();
  }

  @Override
  public Map<String, Long> assignmentCounts(String testId) {
    CompiledTest t = testId == null ? null : snapshot.tests.get(testId);
    CompiledTest.TestCounters c = testId == null ? null : testCounters.get(testId);
    if (t == null || c == null) {
      return Map.of();
    }
    return Collections.unmodifiableMap(c.snapshot(t.definition.variants()));
  }

  @Override
  public long unassignedCount(String testId) {
    CompiledTest.TestCounters c = testId == null ? null : testCounters.get(testId);
    return c == null ? 0 : c.unassigned.sum();
  }

  /** Keys of flags whose override is set (for tests and tools). */
  Set<String> overrideKeys() {
    return new HashSet<>(snapshot.overrideValues.keySet());
  }
}
