package dev.dynconfig.server;

import static dev.dynconfig.server.ServerFixture.ADMIN;
import static dev.dynconfig.server.ServerFixture.READ;
import static dev.dynconfig.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.internal.source.remote.HttpPollingSource;
import dev.dynconfig.internal.source.remote.RemoteSettings;
import dev.dynconfig.internal.source.remote.WebSocketSource;
import dev.dynconfig.testing.RecordingSink;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS end to end with a certificate made at test time by the JDK's keytool. */
class TlsIntegrationTest {
  @TempDir static Path certs;
  static Path certPem;
  static Path keyPem;

  @BeforeAll
  static void makeCertificate() throws Exception {
    Path ks = certs.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-keystore",
                ks.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(ks.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    Key key = store.getKey("server", "changeit".toCharArray());
    Certificate cert = store.getCertificate("server");
    certPem = certs.resolve("cert.pem");
    keyPem = certs.resolve("key.pem");
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded())); // PKCS#8
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  @Test
  void webSocketAndPolling_workOverTls_withATrustedTestCertificate(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("flags.json");
    Files.writeString(f, ServerHttpTest.NATIVE);
    try (DynconfigServer server = ServerFixture.builder(f).tls(certPem, keyPem).build().start()) {
      RecordingSink wsSink = new RecordingSink();
      RecordingSink pollSink = new RecordingSink();
      RecordingSink untrusting = new RecordingSink();
      URI wss = URI.create("wss://127.0.0.1:" + server.port() + "/v1/stream");
      URI https = URI.create("https://127.0.0.1:" + server.port() + "/v1/flags");
      try (WebSocketSource ws =
              new WebSocketSource(
                  RemoteSettings.of(wss, READ)
                      .withTrustCertificates(certPem)
                      .withRetry(StreamIntegrationTest.FAST));
          HttpPollingSource poll =
              new HttpPollingSource(
                  RemoteSettings.of(https, READ)
                      .withTrustCertificates(certPem)
                      .withPollingInterval(Duration.ofMillis(100)));
          WebSocketSource noTrust =
              new WebSocketSource(
                  RemoteSettings.of(wss, READ).withRetry(StreamIntegrationTest.FAST))) {
        ws.start(wsSink);
        poll.start(pollSink);
        noTrust.start(untrusting);
        await("wss snapshot", () -> wsSink.currentVersion() == 5);
        await("https poll", () -> pollSink.currentVersion() == 5);
        var r =
            ServerFixture.HTTP.send(
                java.net.http.HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + server.port() + "/v1/flags"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        throw new AssertionError("untrusted certificate accepted: " + r.statusCode());
      } catch (javax.net.ssl.SSLHandshakeException expected) {
        // the JDK client does not trust the test certificate: TLS is really on
      }
      // an admin write over TLS reaches the wss client
      RecordingSink sink = new RecordingSink();
      try (WebSocketSource ws =
          new WebSocketSource(
              RemoteSettings.of(URI.create("wss://localhost:" + server.port() + "/v1/stream"), READ)
                  .withTrustCertificates(certPem))) {
        ws.start(sink);
        await("connected", () -> sink.lastStatus() == ConnectionStatus.CONNECTED);
        assertThat(adminPutOverTls(server)).isEqualTo(200);
        await("update over wss", () -> sink.currentVersion() == 6);
      }
    }
  }

  @Test
  void clientWithoutTheCertificate_isRefused_andReportsIt(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("flags.json");
    Files.writeString(f, ServerHttpTest.NATIVE);
    try (DynconfigServer server = ServerFixture.builder(f).tls(certPem, keyPem).build().start()) {
      RecordingSink sink = new RecordingSink();
      try (WebSocketSource ws =
          new WebSocketSource(
              RemoteSettings.of(URI.create("wss://127.0.0.1:" + server.port() + "/v1/stream"), READ)
                  .withRetry(StreamIntegrationTest.FAST))) {
        ws.start(sink);
        await("error", () -> sink.lastStatus() == ConnectionStatus.ERROR);
        assertThat(sink.offered()).isEmpty();
      }
    }
  }

  @Test
  void consoleSignIn_overTls_setsASecureCookie(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("flags.json");
    Files.writeString(f, ServerHttpTest.NATIVE);
    try (DynconfigServer server = ServerFixture.builder(f).tls(certPem, keyPem).build().start()) {
      javax.net.ssl.TrustManagerFactory tmf =
          javax.net.ssl.TrustManagerFactory.getInstance(
              javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(certPem)) {
        trust.setCertificateEntry(
            "server",
            java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      tmf.init(trust);
      javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      var r =
          java.net.http.HttpClient.newBuilder()
              .sslContext(ctx)
              .build()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          URI.create("https://localhost:" + server.port() + "/v1/session"))
                      .header("Content-Type", "application/json")
                      .POST(
                          java.net.http.HttpRequest.BodyPublishers.ofString(
                              "{\"token\": \"" + ServerFixture.EDITOR_TOKEN + "\"}"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Set-Cookie").orElseThrow())
          .contains("Secure")
          .contains("HTTPOnly")
          .contains("SameSite=Strict");
    }
  }

  static int adminPutOverTls(DynconfigServer server) throws Exception {
    javax.net.ssl.TrustManagerFactory tmf =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certPem)) {
      trust.setCertificateEntry(
          "server",
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    tmf.init(trust);
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    var client = java.net.http.HttpClient.newBuilder().sslContext(ctx).build();
    return client
        .send(
            java.net.http.HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.port() + "/v1/admin/flags/tls"))
                .header("Authorization", "Bearer " + ADMIN)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"defaultValue\": true}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void server_offersTls13_andTls12OnlyWithEcdheAndAeadSuites(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("flags.json");
    Files.writeString(f, ServerHttpTest.NATIVE);
    try (DynconfigServer server = ServerFixture.builder(f).tls(certPem, keyPem).build().start()) {
      javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
      tls.init(null, new javax.net.ssl.TrustManager[] {new TrustAll()}, null);
      java.util.List<String> accepted = new java.util.ArrayList<>();
      for (String suite : tls.getSupportedSSLParameters().getCipherSuites()) {
        String protocol =
            suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")
                ? "TLSv1.3"
                : "TLSv1.2";
        if (suite.contains("EMPTY_RENEGOTIATION")) {
          continue;
        }
        try (javax.net.ssl.SSLSocket s =
            (javax.net.ssl.SSLSocket)
                tls.getSocketFactory().createSocket("127.0.0.1", server.port())) {
          s.setSoTimeout(5000);
          s.setEnabledProtocols(new String[] {protocol});
          s.setEnabledCipherSuites(new String[] {suite});
          s.startHandshake();
          accepted.add(suite);
        } catch (java.io.IOException refused) {
          // not offered by the server
        }
      }
      assertThat(accepted)
          .contains("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
      assertThat(accepted)
          .allMatch(
              suite ->
                  (suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_"))
                      || (suite.startsWith("TLS_ECDHE_")
                          && (suite.contains("_GCM_") || suite.contains("CHACHA20_POLY1305"))),
              "TLS 1.3 or ECDHE with AEAD");
    }
  }

  /** Test only: the suite check needs a handshake, not an authenticated peer. */
  static final class TrustAll implements javax.net.ssl.X509TrustManager {
    @Override
    public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String auth) {}

    @Override
    public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String auth) {}

    @Override
    public java.security.cert.X509Certificate[] getAcceptedIssuers() {
      return new java.security.cert.X509Certificate[0];
    }
  }
}
