package dev.dynconfig.internal.source.remote;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/** TLS for the clients: JDK provider, {@link TlsSuites}, host name verification on. */
final class ClientTls {
  private ClientTls() {}

  /**
   * @param trustPem PEM certificates to trust instead of the JVM's trust store ({@code
   *     javax.net.ssl.trustStore} applies when null)
   * @return null for plain {@code ws://} / {@code http://}
   */
  static SslContext forUrl(URI url, Path trustPem) throws IOException {
    String scheme =
        url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("wss") && !scheme.equals("https")) {
      return null;
    }
    try {
      SslContextBuilder b =
          SslContextBuilder.forClient()
              .sslProvider(SslProvider.JDK)
              .protocols(TlsSuites.PROTOCOLS)
              .ciphers(TlsSuites.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
              .endpointIdentificationAlgorithm("HTTPS");
      if (trustPem != null) {
        b.trustManager(trustPem.toFile());
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IOException(
          "Cannot set up TLS for "
              + RedactedUrl.of(url)
              + (trustPem == null ? "" : " with trust file " + trustPem)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  static int port(URI url) {
    if (url.getPort() > 0) {
      return url.getPort();
    }
    String s = url.getScheme().toLowerCase(java.util.Locale.ROOT);
    return s.equals("wss") || s.equals("https") ? 443 : 80;
  }
}
