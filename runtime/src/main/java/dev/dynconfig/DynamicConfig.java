package dev.dynconfig;

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
 */
public final class DynamicConfig implements AutoCloseable {

  /** Process-wide instance: created on first call with these options (later options ignored). */
  public static DynamicConfig get(DynamicConfigOptions options) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Process-wide instance with default options (or the options of the first call). */
  public static DynamicConfig get() {
    throw new UnsupportedOperationException("TODO");
  }

  /** A plain, independent instance (for tests and for apps that manage their own). */
  public static DynamicConfig create(DynamicConfigOptions options) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Loads the first document from the source (subject to fallback) and starts watching it. */
  public void initialize() {
    throw new UnsupportedOperationException("TODO");
  }

  public FlagEvaluation evaluateFlag(String key, EvaluationContext context) {
    throw new UnsupportedOperationException("TODO");
  }

  /** As {@link #evaluateFlag(String, EvaluationContext)} with the caller's fallback value. */
  public FlagEvaluation evaluateFlag(String key, EvaluationContext context, Object defaultValue) {
    throw new UnsupportedOperationException("TODO");
  }

  public boolean isFlagEnabled(String key, EvaluationContext context) {
    throw new UnsupportedOperationException("TODO");
  }

  public void registerFlag(FeatureFlag flag) {
    throw new UnsupportedOperationException("TODO");
  }

  public void registerTest(AbTest test) {
    throw new UnsupportedOperationException("TODO");
  }

  public TestVariant getVariant(String testId, String userId) {
    throw new UnsupportedOperationException("TODO");
  }

  public TestVariant getVariant(String testId, EvaluationContext context) {
    throw new UnsupportedOperationException("TODO");
  }

  public Map<String, Object> getVariantConfig(String testId, String userId) {
    throw new UnsupportedOperationException("TODO");
  }

  public void setRuntimeConfig(String namespace, String key, Object value) {
    throw new UnsupportedOperationException("TODO");
  }

  public Object getRuntimeConfig(String namespace, String key) {
    throw new UnsupportedOperationException("TODO");
  }

  public <T> T getRuntimeConfig(String namespace, String key, Class<T> type) {
    throw new UnsupportedOperationException("TODO");
  }

  public Subscription subscribeToConfig(String namespace, String key, ConfigListener listener) {
    throw new UnsupportedOperationException("TODO");
  }

  public void setOverride(String flagKey, Object value) {
    throw new UnsupportedOperationException("TODO");
  }

  public Object getOverride(String flagKey) {
    throw new UnsupportedOperationException("TODO");
  }

  public void removeOverride(String flagKey) {
    throw new UnsupportedOperationException("TODO");
  }

  public Map<String, Object> getOverrides() {
    throw new UnsupportedOperationException("TODO");
  }

  public void clearOverrides() {
    throw new UnsupportedOperationException("TODO");
  }

  public DynamicConfigState getState() {
    throw new UnsupportedOperationException("TODO");
  }

  public Subscription subscribeToState(Consumer<DynamicConfigState> listener) {
    throw new UnsupportedOperationException("TODO");
  }

  public void forceRefresh() {
    throw new UnsupportedOperationException("TODO");
  }

  public void syncWithRemote() {
    throw new UnsupportedOperationException("TODO");
  }

  public void stopPolling() {
    throw new UnsupportedOperationException("TODO");
  }

  public void shutdown() {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public void close() {
    shutdown();
  }
}
