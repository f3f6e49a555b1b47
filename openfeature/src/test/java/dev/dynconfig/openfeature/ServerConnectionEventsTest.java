package dev.dynconfig.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.Fallback;
import dev.dynconfig.RetryOptions;
import dev.dynconfig.SourceKind;
import dev.dynconfig.server.DocumentValidator;
import dev.dynconfig.server.DynconfigServer;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvent;
import dev.openfeature.sdk.ProviderState;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code PROVIDER_STALE} and {@code PROVIDER_READY} over a real WebSocket connection to the real
 * dynconfig server: the server goes away while clients keep serving what they have (their last
 * snapshot, or the offline cache at start-up), and comes back.
 */
class ServerConnectionEventsTest {
  static final String FLAGS =
      """
      {"version": 1, "flags": [{"key": "new-checkout", "defaultValue": true}]}
      """;
  static final String READ_TOKEN = "read-secret";
  static final Duration SERVER_UP = Duration.ofSeconds(30);

  @TempDir Path dir;

  private DynconfigServer server;
  private OpenFeatureAPI api = OpenFeatureAPI.createIsolated();

  @AfterEach
  void stop() {
    api.shutdown();
    if (server != null) {
      server.close();
    }
  }

  private DynconfigServer startServer(int port) throws Exception {
    return DynconfigServer.builder()
        .file(dir.resolve("server-flags.json"))
        .host("127.0.0.1")
        .port(port)
        .readToken(READ_TOKEN)
        .adminToken("admin-secret")
        .validator(DocumentValidator.ENGINE)
        .build()
        .start();
  }

  /**
   * @param initTimeout how long {@code initialize} waits for the server's first document: long
   *     while the server is up (the machine may be loaded), short when it is known to be down
   */
  private DynconfigProvider provider(int port, Duration initTimeout) {
    return new DynconfigProvider(
        DynamicConfigOptions.builder()
            .source(SourceKind.WEBSOCKET)
            .url(URI.create("ws://127.0.0.1:" + port + "/v1/stream"))
            .token(READ_TOKEN)
            .cacheFile(dir.resolve("offline-cache.json"))
            .fallback(Fallback.CACHE)
            .initTimeout(initTimeout)
            .retry(new RetryOptions(3, Duration.ofMillis(50), Duration.ofMillis(200)))
            .build());
  }

  @Test
  void serverGone_isStale_whileTheLastSnapshotServes_andReadyWhenItIsBack() throws Exception {
    FlagFiles.writeAtomically(dir.resolve("server-flags.json"), FLAGS);
    server = startServer(0);
    int port = server.port();
    EventRecorder events = new EventRecorder(api);
    api.setProviderAndWait(provider(port, SERVER_UP));
    events.next(ProviderEvent.PROVIDER_READY);
    Client client = api.getClient();
    assertThat(client.getBooleanValue("new-checkout", false)).isTrue();

    server.close();

    EventDetails stale = events.next(ProviderEvent.PROVIDER_STALE);
    assertThat(stale.getMessage()).contains("127.0.0.1:" + port, "version 1");
    assertThat(client.getProviderState()).isEqualTo(ProviderState.STALE);
    FlagEvaluationDetails<Boolean> whileStale = client.getBooleanDetails("new-checkout", false);
    assertThat(whileStale.getValue()).isTrue();
    assertThat(whileStale.getErrorCode()).isNull();

    server = startServer(port);

    events.next(ProviderEvent.PROVIDER_READY);
    assertThat(client.getProviderState()).isEqualTo(ProviderState.READY);
  }

  @Test
  void startingOnTheOfflineCache_isReadyThenStale_servingTheCachedFlags() throws Exception {
    FlagFiles.writeAtomically(dir.resolve("server-flags.json"), FLAGS);
    server = startServer(0);
    int port = server.port();
    api.setProviderAndWait(provider(port, SERVER_UP)); // fills the offline cache
    api.shutdown();
    server.close();
    server = null;

    api = OpenFeatureAPI.createIsolated();
    EventRecorder events = new EventRecorder(api);
    api.setProviderAndWait(provider(port, Duration.ofMillis(500)));

    events.next(ProviderEvent.PROVIDER_READY);
    events.next(ProviderEvent.PROVIDER_STALE);
    Client client = api.getClient();
    assertThat(client.getProviderState()).isEqualTo(ProviderState.STALE);
    FlagEvaluationDetails<Boolean> cached = client.getBooleanDetails("new-checkout", false);
    assertThat(cached.getValue()).isTrue();
    assertThat(cached.getErrorCode()).isNull();
  }
}
