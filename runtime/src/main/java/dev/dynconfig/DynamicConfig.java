package dev.dynconfig;

import dev.dynconfig.internal.engine.Engine;
import dev.dynconfig.internal.engine.EngineIntrospection;
import dev.dynconfig.internal.engine.EngineParts;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The dynconfig engine: feature flags, A/B tests and runtime configuration, evaluated against an
 * immutable snapshot that sources swap atomically. The Java counterpart of the seed's {@code
 * DynamicConfigManager}.
 *
 * <pre>{@code
 * DynamicConfig config = DynamicConfig.create(DynamicConfigOptions.builder()
 *     .file(Path.of("flags.json")).environment("production").build());
 * config.initialize();
 * if (config.isFlagEnabled("new-dashboard", EvaluationContext.ofUser("user-123"))) { ... }
 * }</pre>
 *
 * <p>Evaluation ({@code evaluateFlag}, {@code isFlagEnabled}, {@code getVariant}) never throws and
 * never blocks: it reads the current immutable snapshot once and, for flags and tests in it,
 * returns pre-built results without allocating. Changes (documents from the source, {@code
 * register…}, overrides, {@code setRuntimeConfig}) each swap in a new snapshot and publish {@link
 * ConfigChangeEvent}s to subscribers on the thread that made the change.
 */
public final class DynamicConfig implements AutoCloseable {
  private static final Object SINGLETON_LOCK = new Object();
  private static volatile DynamicConfig instance;

  private final EngineParts parts;
  private final Engine engine; // the read side, evaluation
  private final Object jmxLock = new Object();
  private AutoCloseable jmx; // guarded by jmxLock; the MBeans while registered

  private DynamicConfig(DynamicConfigOptions options) {
    this.parts = EngineParts.create(options, () -> SourceFactory.create(options));
    this.engine = parts.reader();
  }

  /** Process-wide instance: created on first call with these options (later options ignored). */
  public static DynamicConfig get(DynamicConfigOptions options) {
    DynamicConfig i = instance;
    if (i == null) {
      synchronized (SINGLETON_LOCK) {
        i = instance;
        if (i == null) {
          i = new DynamicConfig(options == null ? DynamicConfigOptions.defaults() : options);
          instance = i;
        }
      }
    }
    return i;
  }

  /** Process-wide instance with default options (or the options of the first call). */
  public static DynamicConfig get() {
    return get(null);
  }

  /** A plain, independent instance (for tests and for apps that manage their own). */
  public static DynamicConfig create(DynamicConfigOptions options) {
    return new DynamicConfig(options == null ? DynamicConfigOptions.defaults() : options);
  }

  /** The options this instance was created with. */
  public DynamicConfigOptions options() {
    return engine.options();
  }

  /**
   * Loads the first document from the source and starts watching it, and registers the JMX MBeans
   * when {@link DynamicConfigOptions#registerJmx()} is set. Idempotent. When no valid document can
   * be loaded, {@code fallback=default|cache} starts on code defaults (logged) and keeps watching;
   * {@code fallback=throw} throws.
   *
   * @throws DynamicConfigException with {@code fallback=throw} and no valid document, or when the
   *     source kind is not available
   */
  public void initialize() {
    parts.sources().initialize();
    if (engine.options().registerJmx()) {
      startJmx();
    }
  }

  private void startJmx() {
    synchronized (jmxLock) {
      if (jmx != null) {
        return;
      }
      try {
        // Referenced only here, so java.management is needed only when JMX is asked for.
        jmx =
            dev.dynconfig.jmx.JmxRegistration.start(
                parts.introspection(), engine.options().jmxRegistrationDelay());
      } catch (LinkageError e) {
        org.slf4j.LoggerFactory.getLogger("dev.dynconfig.jmx")
            .warn("JMX is not available in this JVM (java.management missing?); no MBeans", e);
      }
    }
  }

  private void stopJmx() {
    synchronized (jmxLock) {
      if (jmx != null) {
        try {
          jmx.close();
        } catch (Exception | LinkageError e) {
          org.slf4j.LoggerFactory.getLogger("dev.dynconfig.jmx")
              .warn("Unregistering the dynconfig MBeans failed", e);
        }
        jmx = null;
      }
    }
  }

  /**
   * Evaluates a flag: (value, reason, variant, error code). Unknown keys give {@code null} with
   * reason DEFAULT and error FLAG_NOT_FOUND. Never throws.
   */
  public FlagEvaluation evaluateFlag(String key, EvaluationContext context) {
    return engine.evaluate(key, context, null);
  }

  /**
   * As {@link #evaluateFlag(String, EvaluationContext)} with the caller's fallback value, served
   * for unknown flags, disabled flagd flags, flagd flags without a default variant, errors, and
   * when the flag's type differs from the fallback's (TYPE_MISMATCH). Never throws.
   */
  public FlagEvaluation evaluateFlag(String key, EvaluationContext context, Object defaultValue) {
    return engine.evaluate(key, context, defaultValue);
  }

  /**
   * As {@link #evaluateFlag(String, EvaluationContext, Object)} for {@code
   * EvaluationContext.ofUser(userId)}, without building the context: for a static flag, a rollout
   * or a one-attribute rule it allocates nothing even where the JIT cannot remove a context object
   * (the agent's rewritten methods use it when a flag depends on the user alone). Never throws.
   */
  public FlagEvaluation evaluateFlagForUser(String key, String userId, Object defaultValue) {
    return engine.evaluateForUser(key, userId, defaultValue);
  }

  /** Whether the flag is on for this context; false for unknown flags. Never throws. */
  public boolean isFlagEnabled(String key, EvaluationContext context) {
    return engine.isEnabled(key, context);
  }

  /** Whether the flag is on for an empty context. Never throws. */
  public boolean isFlagEnabled(String key) {
    return engine.isEnabled(key, EvaluationContext.empty());
  }

  /**
   * Registers a flag from code. It is served until a document defines the same key (the document
   * wins) and survives reloads.
   *
   * @throws DynamicConfigException when the flag is invalid (same rules as documents)
   */
  public void registerFlag(FeatureFlag flag) {
    parts.writer().registerFlag(flag);
  }

  /**
   * Registers an A/B test from code; a document test with the same id wins.
   *
   * @throws DynamicConfigException when the test is invalid (same rules as documents)
   */
  public void registerTest(AbTest test) {
    parts.writer().registerTest(test);
  }

  /**
   * The variant of a test assigned to a user in the engine's environment, or null when the test is
   * unknown, not running, outside its window or environments, or the user is outside the
   * allocation. Sticky: the same user always gets the same variant. Never throws.
   */
  public TestVariant getVariant(String testId, String userId) {
    return engine.variant(testId, userId, null);
  }

  /** As {@link #getVariant(String, String)}, bucketing by the context's key and environment. */
  public TestVariant getVariant(String testId, EvaluationContext context) {
    if (context == null) {
      return engine.variant(testId, null, null);
    }
    return engine.variant(testId, context.bucketingKey(), context.environment());
  }

  /** The assigned variant's config, or null when no variant is assigned. */
  public Map<String, Object> getVariantConfig(String testId, String userId) {
    TestVariant v = getVariant(testId, userId);
    return v == null ? null : v.config();
  }

  /** As {@link #getVariantConfig(String, String)} for a context. */
  public Map<String, Object> getVariantConfig(String testId, EvaluationContext context) {
    TestVariant v = getVariant(testId, context);
    return v == null ? null : v.config();
  }

  /**
   * Sets a runtime-config value from code (null removes it). Code-set values are layered over the
   * document's {@code config} and survive reloads. Subscribers get an event with source {@code
   * local}.
   */
  public void setRuntimeConfig(String namespace, String key, Object value) {
    parts.writer().setRuntimeConfig(namespace, key, value);
  }

  /** The runtime-config value as plain JSON values (Map, List, String, Long, Double …), or null. */
  public Object getRuntimeConfig(String namespace, String key) {
    return engine.runtimeConfig(namespace, key);
  }

  /**
   * The runtime-config value converted to {@code type} (primitives give their box), or null when
   * absent.
   *
   * @throws DynamicConfigException when the value cannot be converted
   */
  @SuppressWarnings("unchecked")
  public <T> T getRuntimeConfig(String namespace, String key, Class<T> type) {
    return (T) engine.runtimeConfig(namespace, key, type);
  }

  /**
   * The runtime-config value converted to a generic {@code type} (e.g. a method's return type,
   * {@code List<Long>}), or null when absent.
   *
   * @throws DynamicConfigException when the value cannot be converted
   */
  public Object getRuntimeConfig(String namespace, String key, Type type) {
    return engine.runtimeConfig(namespace, key, type);
  }

  /**
   * Subscribes to changes of one runtime-config key, or of a flag (namespace {@link
   * ConfigChangeEvent#FEATURES}, key = flag key; old/new values are the flag definitions, or the
   * override values for override changes). Null or {@code "*"} for namespace or key matches all. A
   * listener that throws is logged and does not affect others.
   */
  public Subscription subscribeToConfig(String namespace, String key, ConfigListener listener) {
    return parts.listeners().subscribeToConfig(namespace, key, listener);
  }

  /**
   * Forces a flag's value (any JSON value; null removes the override). Overrides win over
   * everything, also for keys no document defines, and survive reloads until removed.
   */
  public void setOverride(String flagKey, Object value) {
    parts.writer().setOverride(flagKey, value);
  }

  public Object getOverride(String flagKey) {
    return engine.getOverride(flagKey);
  }

  public void removeOverride(String flagKey) {
    parts.writer().removeOverride(flagKey);
  }

  /** The current overrides (unmodifiable). */
  public Map<String, Object> getOverrides() {
    return engine.overrides();
  }

  public void clearOverrides() {
    parts.writer().clearOverrides();
  }

  public DynamicConfigState getState() {
    return parts.state().get();
  }

  /** Calls {@code listener} with every new state. A listener that throws is logged and ignored. */
  public Subscription subscribeToState(Consumer<DynamicConfigState> listener) {
    return parts.state().subscribe(listener);
  }

  /** Re-reads the source now and applies what it gets. */
  public void forceRefresh() {
    parts.sources().refresh();
  }

  /** Fetches the current document from the source now (same as {@link #forceRefresh()}). */
  public void syncWithRemote() {
    parts.sources().refresh();
  }

  /** Stops watching/polling the source; the last snapshot keeps serving. */
  public void stopPolling() {
    parts.sources().stopSource();
  }

  /**
   * Stops the source and its threads and unregisters the JMX MBeans. Evaluation keeps serving the
   * last snapshot. Shutting down the process-wide instance lets {@link #get(DynamicConfigOptions)}
   * create a new one.
   */
  public void shutdown() {
    stopJmx();
    parts.sources().shutdown();
    synchronized (SINGLETON_LOCK) {
      if (instance == this) {
        instance = null;
      }
    }
  }

  /** Counters, definitions and snapshot events for operators' tools (JMX, agent, server). */
  public EngineIntrospection introspection() {
    return parts.introspection();
  }

  /**
   * The engine as the sink sources deliver documents to (for sources created outside the options,
   * e.g. by the agent or in tests).
   */
  public dev.dynconfig.internal.source.SourceSink sink() {
    return parts.writer();
  }

  @Override
  public void close() {
    shutdown();
  }
}
