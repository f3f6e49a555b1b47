package dev.dynconfig.openfeature;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigState;
import dev.dynconfig.SourceKind;
import dev.dynconfig.Subscription;
import dev.dynconfig.internal.engine.EngineIntrospection;
import dev.dynconfig.internal.engine.EngineIntrospection.SnapshotInfo;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ProviderEvent;
import dev.openfeature.sdk.ProviderEventDetails;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the engine reports into OpenFeature provider events, once the provider is ready:
 *
 * <ul>
 *   <li>a snapshot swap that changed flags (definition or override) → {@code
 *       PROVIDER_CONFIGURATION_CHANGED} with the changed keys, sorted, and the new version in the
 *       event metadata ({@code version});
 *   <li>the source's connection lost or failing ({@code DISCONNECTED}/{@code ERROR}) while the
 *       engine keeps serving its last good (or cached) snapshot → {@code PROVIDER_STALE}, once;
 *   <li>connected again after that → {@code PROVIDER_READY}.
 * </ul>
 *
 * <p>{@code PROVIDER_READY} and {@code PROVIDER_ERROR} at start-up come from the SDK itself, after
 * {@code initialize} returns or throws.
 */
final class EngineEvents {
  private static final Logger LOG = LoggerFactory.getLogger(EngineEvents.class);

  private final DynamicConfig config;
  private final EventProvider provider;
  private final FlagMetadata metadata;

  // All guarded by this. Engine callbacks arrive on the engine's threads (swaps under the engine's
  // lock); nothing here calls back into the engine while holding this lock except lock-free reads.
  private Subscription stateSubscription;
  private Subscription swapSubscription;
  private boolean active;
  private boolean stale;
  private Map<String, Object> definitions = Map.of();
  private Map<String, Object> overrides = Map.of();

  EngineEvents(DynamicConfig config, EventProvider provider, FlagMetadata metadata) {
    this.config = config;
    this.provider = provider;
    this.metadata = metadata;
  }

  /** Listens to the engine (before it starts, so no change between start and ready is missed). */
  synchronized void listen() {
    if (swapSubscription == null) {
      swapSubscription = config.introspection().subscribeToSnapshots(this::onSwap);
      stateSubscription = config.subscribeToState(this::onState);
    }
  }

  /**
   * The engine has started: from now on changes are events. If it started without its source
   * (server unreachable, serving the offline cache), the provider is stale right away.
   */
  synchronized void activate() {
    rebase();
    active = true;
    DynamicConfigState s = config.getState();
    if (lost(s)) {
      stale = true;
      emit(ProviderEvent.PROVIDER_STALE, staleDetails(s));
    }
  }

  /** No more events (shutdown, failed start); stops listening to the engine. */
  synchronized void stop() {
    active = false;
    if (swapSubscription != null) {
      swapSubscription.unsubscribe();
      stateSubscription.unsubscribe();
      swapSubscription = null;
      stateSubscription = null;
    }
  }

  private void onSwap(SnapshotInfo info) {
    metadata.clear();
    synchronized (this) {
      Map<String, Object> oldDefinitions = definitions;
      Map<String, Object> oldOverrides = overrides;
      rebase();
      if (!active) {
        return;
      }
      TreeSet<String> keys = new TreeSet<>(oldDefinitions.keySet());
      keys.addAll(definitions.keySet());
      keys.addAll(oldOverrides.keySet());
      keys.addAll(overrides.keySet());
      List<String> changed = new ArrayList<>();
      for (String k : keys) {
        if (!Objects.equals(oldDefinitions.get(k), definitions.get(k))
            || !Objects.equals(oldOverrides.get(k), overrides.get(k))) {
          changed.add(k);
        }
      }
      if (changed.isEmpty()) {
        return; // e.g. a runtime-config change: no flag is affected
      }
      emit(
          ProviderEvent.PROVIDER_CONFIGURATION_CHANGED,
          ProviderEventDetails.builder()
              .flagsChanged(List.copyOf(changed))
              .message(
                  "dynconfig flags changed (version " + info.version() + "): " + changed.size())
              .eventMetadata(ImmutableMetadata.builder().addLong("version", info.version()).build())
              .build());
    }
  }

  private void onState(DynamicConfigState s) {
    synchronized (this) {
      if (!active) {
        return;
      }
      if (!stale && lost(s)) {
        stale = true;
        emit(ProviderEvent.PROVIDER_STALE, staleDetails(s));
      } else if (stale && s.connectionStatus() == ConnectionStatus.CONNECTED) {
        stale = false;
        emit(
            ProviderEvent.PROVIDER_READY,
            ProviderEventDetails.builder()
                .message(
                    "dynconfig is connected to "
                        + config.introspection().sourceDescription()
                        + " again")
                .build());
      }
    }
  }

  private boolean lost(DynamicConfigState s) {
    return config.options().source() != SourceKind.NONE
        && s.initialized()
        && (s.connectionStatus() == ConnectionStatus.DISCONNECTED
            || s.connectionStatus() == ConnectionStatus.ERROR);
  }

  private ProviderEventDetails staleDetails(DynamicConfigState s) {
    return ProviderEventDetails.builder()
        .message(
            "dynconfig lost its source "
                + config.introspection().sourceDescription()
                + (s.lastError() == null ? "" : " (" + s.lastError() + ")")
                + "; serving "
                + (s.version() < 0
                    ? "code defaults"
                    : "the last good configuration, version " + s.version())
                + " until it is back")
        .build();
  }

  private void rebase() {
    EngineIntrospection engine = config.introspection();
    Map<String, Object> next = new HashMap<>();
    for (String k : engine.flagKeys()) {
      next.put(k, engine.flagDefinitionJson(k));
    }
    definitions = next;
    overrides = config.getOverrides();
  }

  private void emit(ProviderEvent event, ProviderEventDetails details) {
    try {
      provider.emit(event, details);
    } catch (RuntimeException e) {
      // The SDK's emitter is already shut down (a change raced with shutdown): nobody listens.
      LOG.debug("Dropped OpenFeature event {} ({})", event, e.toString());
    }
  }
}
