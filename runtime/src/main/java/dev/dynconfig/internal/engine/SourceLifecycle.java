package dev.dynconfig.internal.engine;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.DynamicConfigException;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.internal.source.ConfigSource;
import dev.dynconfig.internal.source.SourceSink;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the configured {@link ConfigSource}, waits for its first document as the options say,
 * falls back when none arrives ({@code fallback=throw|cache|default}), refreshes and stops it. What
 * is specific to a kind of source (whether it starts synchronously, what it falls back on) is the
 * source's to say; this class names no concrete source. Internal: public only so the facade in
 * another package can reach it.
 */
public final class SourceLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger("dev.dynconfig");

  private final DynamicConfigOptions options;
  private final Supplier<ConfigSource> sources;
  private final SourceSink sink;
  private final EngineState state;
  private final Object lifecycle = new Object();
  private volatile ConfigSource source;

  /**
   * @param sources creates the source the options ask for, or null for none; called by each {@link
   *     #initialize()} that starts one
   */
  SourceLifecycle(
      DynamicConfigOptions options,
      Supplier<ConfigSource> sources,
      SourceSink sink,
      EngineState state) {
    this.options = options;
    this.sources = sources;
    this.sink = sink;
    this.state = state;
  }

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
      ConfigSource src = sources.get();
      if (src != null) {
        this.source = src;
        state.status(ConnectionStatus.CONNECTING, null);
        src.start(sink);
        awaitFirstDocument(src);
        if (!state.hasDocument()) {
          fallBack(src);
        }
      }
      state.initialized(src != null);
    }
  }

  private void fallBack(ConfigSource src) {
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
        String fellBackTo = src.offerFallback(sink);
        if (fellBackTo != null) {
          LOG.warn("{}\n{}", message, fellBackTo);
          break;
        }
        warnCodeDefaults(message);
        break;
      case DEFAULT:
      default:
        warnCodeDefaults(message);
    }
  }

  private void warnCodeDefaults(String message) {
    LOG.warn(
        "{}\nStarting on code defaults (fallback={}); the document is applied as soon as"
            + " a valid one arrives.",
        message,
        options.fallback().name().toLowerCase(Locale.ROOT));
  }

  private void awaitFirstDocument(ConfigSource src) {
    if (state.hasDocument() || options.initTimeout().isZero() || src.startsSynchronously()) {
      return;
    }
    try {
      if (!state.awaitFirstDocument(options.initTimeout())) {
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
      state.status(ConnectionStatus.DISCONNECTED, null);
    }
  }

  /**
   * Stops the source and marks the engine shut down; evaluation keeps serving the last snapshot.
   */
  public void shutdown() {
    synchronized (lifecycle) {
      stopSource();
      state.shutDown();
    }
  }

  /** The source, e.g. {@code file:/etc/flags.json}, or {@code none}. */
  String describe() {
    ConfigSource s = source;
    return s == null ? "none" : s.describe();
  }
}
