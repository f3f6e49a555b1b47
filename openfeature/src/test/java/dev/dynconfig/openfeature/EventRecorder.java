package dev.dynconfig.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvent;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records the provider events an {@link OpenFeatureAPI} delivers to its handlers, per event. */
final class EventRecorder {
  /** Generous: the machine running the tests may be heavily loaded. */
  static final long TIMEOUT_SECONDS = 30;

  private final Map<ProviderEvent, BlockingQueue<EventDetails>> received =
      new ConcurrentHashMap<>();

  EventRecorder(OpenFeatureAPI api) {
    for (ProviderEvent event : ProviderEvent.values()) {
      received.put(event, new LinkedBlockingQueue<>());
    }
    api.onProviderReady(d -> received.get(ProviderEvent.PROVIDER_READY).add(d));
    api.onProviderConfigurationChanged(
        d -> received.get(ProviderEvent.PROVIDER_CONFIGURATION_CHANGED).add(d));
    api.onProviderStale(d -> received.get(ProviderEvent.PROVIDER_STALE).add(d));
    api.onProviderError(d -> received.get(ProviderEvent.PROVIDER_ERROR).add(d));
  }

  /** The next event of this kind, waiting for it at most {@link #TIMEOUT_SECONDS}. */
  EventDetails next(ProviderEvent event) throws InterruptedException {
    EventDetails d = received.get(event).poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(d).as("%s within %d s", event, TIMEOUT_SECONDS).isNotNull();
    return d;
  }

  /** The events of this kind received so far (and not taken by {@link #next}). */
  int pending(ProviderEvent event) {
    return received.get(event).size();
  }
}
