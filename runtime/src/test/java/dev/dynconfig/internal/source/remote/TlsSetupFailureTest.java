package dev.dynconfig.internal.source.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.internal.source.ConfigSource;
import dev.dynconfig.testing.RecordingSink;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both network sources report a trust file they cannot use, and then stay stopped. */
class TlsSetupFailureTest {

  @ParameterizedTest
  @ValueSource(strings = {"wss://127.0.0.1:1/v1/stream", "https://127.0.0.1:1/v1/flags"})
  void unreadableTrustFile_isReportedAsError_andTheSourceDoesNotConnect(String url) {
    Path missing = Path.of("no-such-dir", "ca.pem");
    RemoteSettings base = RemoteSettings.of(URI.create(url), null);
    RemoteSettings settings =
        new RemoteSettings(
            base.url(),
            base.token(),
            base.pollingInterval(),
            base.retry(),
            null,
            missing,
            base.maxDocumentBytes(),
            base.requestTimeout(),
            base.readIdleTimeout());
    Function<RemoteSettings, ConfigSource> kind =
        url.startsWith("wss") ? WebSocketSource::new : HttpPollingSource::new;
    RecordingSink sink = new RecordingSink();

    try (ConfigSource source = kind.apply(settings)) {
      source.start(sink);
    }

    assertThat(sink.statuses()).containsExactly(ConnectionStatus.ERROR);
    assertThat(sink.errors())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("Cannot set up TLS for " + url + " with trust file " + missing + ": ");
  }
}
