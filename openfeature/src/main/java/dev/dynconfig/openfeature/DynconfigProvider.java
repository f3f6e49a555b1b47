package dev.dynconfig.openfeature;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.FlagEvaluation;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.Hook;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.FatalError;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenFeature provider backed by the dynconfig engine: flags from a flag file (native or flagd
 * format) or a dynconfig server, evaluated in-process against an immutable snapshot.
 *
 * <pre>{@code
 * OpenFeatureAPI.getInstance().setProviderAndWait(new DynconfigProvider(
 *     DynamicConfigOptions.builder().file(Path.of("flags.json")).build()));
 * Client client = OpenFeatureAPI.getInstance().getClient();
 * boolean on = client.getBooleanValue("new-dashboard", false, new ImmutableContext("user-123"));
 * }</pre>
 *
 * <p>{@code initialize} starts the engine ({@link DynamicConfig#initialize()}); a start that fails
 * ({@code fallback=throw} without a valid document, an unavailable source) is a {@link FatalError},
 * which the SDK reports as {@code PROVIDER_ERROR}. Afterwards the provider emits {@code
 * PROVIDER_CONFIGURATION_CHANGED} with the changed flag keys on every change, {@code
 * PROVIDER_STALE} while the source is lost and the last good (or cached) configuration serves, and
 * {@code PROVIDER_READY} when it is back. {@code shutdown} shuts the engine down.
 *
 * <p>Evaluation never throws: every problem is a result with reason {@code ERROR}, an error code
 * and a message, and the caller's default value.
 */
public final class DynconfigProvider extends EventProvider {
  private static final Logger LOG = LoggerFactory.getLogger(DynconfigProvider.class);
  private static final Metadata METADATA = () -> "dynconfig";

  /** Passed to the engine as an object flag's default, so it checks the flag's type. */
  private static final Map<String, Object> OBJECT_PROBE =
      Collections.unmodifiableMap(new LinkedHashMap<>());

  private final DynamicConfig config;
  private final FlagMetadata metadata = new FlagMetadata();
  private final EngineEvents events;
  private final AtomicBoolean resolveFailureLogged = new AtomicBoolean();

  /**
   * A provider with its own engine, created from {@code options} and started by {@code initialize}.
   */
  public DynconfigProvider(DynamicConfigOptions options) {
    this(DynamicConfig.create(Objects.requireNonNull(options, "options")));
  }

  /**
   * A provider over an existing engine, started or not ({@code initialize} is idempotent). The
   * provider owns it from now on: {@code shutdown} (the SDK's, or replacing the provider) shuts it
   * down.
   */
  public DynconfigProvider(DynamicConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.events = new EngineEvents(config, this, metadata);
  }

  /** The engine behind this provider (for overrides, JMX, A/B tests and runtime config). */
  public DynamicConfig dynamicConfig() {
    return config;
  }

  @Override
  public Metadata getMetadata() {
    return METADATA;
  }

  /** None; the SDK only reads this list, so one empty list serves every evaluation. */
  @Override
  @SuppressWarnings("rawtypes") // the SDK's signature
  public List<Hook> getProviderHooks() {
    return List.of();
  }

  @Override
  public void initialize(EvaluationContext evaluationContext) throws Exception {
    events.listen();
    try {
      config.initialize();
    } catch (RuntimeException e) {
      events.stop();
      throw new FatalError("dynconfig could not start: " + e.getMessage(), e);
    }
    events.activate();
  }

  @Override
  public void shutdown() {
    events.stop();
    try {
      config.shutdown();
    } catch (RuntimeException e) {
      LOG.warn("Shutting down the dynconfig engine failed", e);
    } finally {
      super.shutdown();
    }
  }

  @Override
  public ProviderEvaluation<Boolean> getBooleanEvaluation(
      String key, Boolean defaultValue, EvaluationContext ctx) {
    return resolve(FlagType.BOOLEAN, key, defaultValue, defaultValue, ctx);
  }

  @Override
  public ProviderEvaluation<String> getStringEvaluation(
      String key, String defaultValue, EvaluationContext ctx) {
    return resolve(FlagType.STRING, key, defaultValue, defaultValue, ctx);
  }

  @Override
  public ProviderEvaluation<Integer> getIntegerEvaluation(
      String key, Integer defaultValue, EvaluationContext ctx) {
    return resolve(FlagType.INTEGER, key, defaultValue, defaultValue, ctx);
  }

  @Override
  public ProviderEvaluation<Double> getDoubleEvaluation(
      String key, Double defaultValue, EvaluationContext ctx) {
    return resolve(FlagType.DOUBLE, key, defaultValue, defaultValue, ctx);
  }

  @Override
  public ProviderEvaluation<Value> getObjectEvaluation(
      String key, Value defaultValue, EvaluationContext ctx) {
    return resolve(FlagType.OBJECT, key, defaultValue, OBJECT_PROBE, ctx);
  }

  /**
   * @param probe the caller's default as the engine sees it (its type is checked against the
   *     flag's); null checks nothing
   */
  private <T> ProviderEvaluation<T> resolve(
      FlagType type, String key, T callerDefault, Object probe, EvaluationContext ctx) {
    FlagEvaluation evaluation = null;
    try {
      evaluation = config.evaluateFlag(key, Contexts.toDynconfig(ctx), probe);
      return Resolutions.from(
          key, evaluation, type, callerDefault, probe, metadata.of(key, evaluation));
    } catch (RuntimeException e) {
      // The engine never throws; this is the context conversion (a provider-specific context
      // implementation that throws) or a value that cannot be converted.
      if (resolveFailureLogged.compareAndSet(false, true)) {
        LOG.warn(
            "Resolving flag '{}' as {} failed; serving the caller's default (logged once)",
            key,
            type,
            e);
      } else {
        LOG.debug("Resolving flag '{}' as {} failed: {}", key, type, e.toString());
      }
      return Resolutions.error(
          callerDefault,
          ErrorCode.GENERAL,
          "resolving flag '" + key + "' failed: " + e,
          evaluation == null ? ImmutableMetadata.EMPTY : metadataOrEmpty(key, evaluation));
    }
  }

  private ImmutableMetadata metadataOrEmpty(String key, FlagEvaluation evaluation) {
    try {
      return metadata.of(key, evaluation);
    } catch (RuntimeException e) {
      return ImmutableMetadata.EMPTY;
    }
  }
}
