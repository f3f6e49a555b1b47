package dev.dynconfig.reliability;

import static dev.dynconfig.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.RetryOptions;
import dev.dynconfig.internal.source.remote.HttpPollingSource;
import dev.dynconfig.internal.source.remote.RemoteSettings;
import dev.dynconfig.internal.source.remote.WebSocketSource;
import dev.dynconfig.testing.RecordingSink;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The network clients against a server that lies: garbage instead of a handshake, no handshake at
 * all, frames that stop half way or announce a gigabyte, older versions, binary frames, broken
 * JSON, valid JSON that is not a valid document. Whatever it does, the client keeps serving its
 * last good snapshot, never goes backwards, reports the trouble in its status, reconnects with
 * backoff, and never buffers more than its document limit.
 */
class HostileServerTest {
  static final int LIMIT = 64 * 1024;
  static final RetryOptions FAST =
      new RetryOptions(3, Duration.ofMillis(20), Duration.ofMillis(150));

  /**
   * The request or read-idle timeout of the tests whose subject is that timeout (a stalled
   * handshake or request, a silent connection). Only how soon they end depends on it, never what
   * they assert; every other test keeps the generous ones of {@link #settings}.
   */
  static final Duration SHORT = Duration.ofMillis(600);

  final HostilePeer peer = new HostilePeer();
  final RecordingSink sink = RecordingSink.judgingFlagDocuments();
  AutoCloseable source;

  @AfterEach
  void tearDown() throws Exception {
    if (source != null) {
      source.close();
    }
    peer.close();
  }

  static String doc(long v) {
    return "{\"version\":" + v + ",\"flags\":[{\"key\":\"f" + v + "\",\"defaultValue\":true}]}";
  }

  /**
   * Timeouts far beyond any scheduling delay: for the tests whose subject is not a timeout, so that
   * a loaded machine never turns a slow handshake or a quiet moment into a reconnect.
   */
  RemoteSettings settings(String url) {
    return RemoteSettings.of(URI.create(url), "read-token")
        .withRetry(FAST)
        .withPollingInterval(Duration.ofSeconds(30))
        .withRequestTimeout(Duration.ofSeconds(30))
        .withReadIdleTimeout(Duration.ofSeconds(60))
        .withMaxDocumentBytes(LIMIT);
  }

  void startWebSocket() {
    startWebSocket(settings(peer.wsUrl()));
  }

  void startWebSocket(RemoteSettings settings) {
    WebSocketSource s = new WebSocketSource(settings);
    source = s;
    s.start(sink);
  }

  @Test
  void garbageInsteadOfAHandshake_endsInErrorWithTheReason_andRecoversWhenTheServerDoes()
      throws Exception {
    Random rnd = new Random(7);
    peer.otherwise(
        c -> {
          byte[] junk = new byte[300];
          rnd.nextBytes(junk);
          c.raw(junk).close();
        });
    startWebSocket();
    await(
        "status error after maxAttempts failures",
        () -> sink.lastStatus() == ConnectionStatus.ERROR);
    assertThat(sink.lastError()).isNotBlank();
    assertThat(peer.streamRequests()).isGreaterThanOrEqualTo(FAST.maxAttempts());
    assertThat(sink.applied()).isEmpty();

    peer.otherwise(c -> c.handshake().snapshot(4, doc(4)));
    await("recovered", () -> sink.currentVersion() == 4);
    await("connected", () -> sink.lastStatus() == ConnectionStatus.CONNECTED);
  }

  @Test
  void handshakeThatNeverCompletes_timesOut_andTheClientKeepsTrying() throws Exception {
    peer.otherwise(HostilePeer.Conn::stall);
    startWebSocket(settings(peer.wsUrl()).withRequestTimeout(SHORT));
    await("three attempts", () -> peer.streamRequests() >= 3);
    await("status error", () -> sink.lastStatus() == ConnectionStatus.ERROR);
    assertThat(sink.errors()).anyMatch(e -> e != null && e.contains("timed out"));
    assertThat(sink.applied()).isEmpty();
  }

  @Test
  void frameThatStopsHalfWay_countsAsADeadServer_andTheLastGoodSnapshotKeepsServing()
      throws Exception {
    peer.then(
            c ->
                c.handshake()
                    .snapshot(5, doc(5))
                    .raw(HostilePeer.frameHeader(0x1, true, 1000))
                    .raw("{\"type\":\"sna".getBytes(StandardCharsets.UTF_8)))
        .otherwise(HostilePeer.Conn::handshake);
    startWebSocket(settings(peer.wsUrl()).withReadIdleTimeout(SHORT));
    await("reconnected after the stall", () -> peer.streamRequests() >= 2);
    assertThat(peer.requests.get(1)).contains("version=5");
    assertThat(sink.applied()).containsExactly(5L);
    assertThat(sink.statuses())
        .containsSubsequence(
            ConnectionStatus.CONNECTED, ConnectionStatus.DISCONNECTED, ConnectionStatus.CONNECTING);
    assertThat(sink.errors()).anyMatch(e -> e != null && e.contains("silent"));
  }

  @Test
  void truncatedFrameThenHangUp_appliesNothing_andTheNextConnectionDelivers() throws Exception {
    peer.then(
            c ->
                c.handshake()
                    .raw(HostilePeer.frameHeader(0x1, true, 500))
                    .raw("{\"type\":\"snapshot\",\"vers".getBytes(StandardCharsets.UTF_8))
                    .close())
        .otherwise(c -> c.handshake().snapshot(3, doc(3)));
    startWebSocket();
    await("delivered by the second connection", () -> sink.currentVersion() == 3);
    assertThat(sink.applied()).containsExactly(3L);
    assertThat(sink.offered()).containsExactly(3L);
  }

  @Test
  void frameAnnouncingAGigabyte_isRefusedOnItsHeader_withoutWaitingForThePayload()
      throws Exception {
    // Only the 10-byte header is ever sent: a client that tried to buffer it would just wait.
    peer.then(c -> c.handshake().raw(HostilePeer.frameHeader(0x1, true, 1L << 30)))
        // A 64-bit length with the top bit set (negative as a Java long).
        .then(c -> c.handshake().raw(HostilePeer.frameHeader(0x1, true, -1L)))
        .otherwise(c -> c.handshake().snapshot(2, doc(2)));
    startWebSocket();
    await("both refused, then served", () -> sink.currentVersion() == 2);
    assertThat(peer.closedByClient.get()).isGreaterThanOrEqualTo(2);
    assertThat(peer.streamRequests()).isGreaterThanOrEqualTo(3);
    assertThat(sink.applied()).containsExactly(2L);
  }

  @Test
  void fragmentedMessageOverTheLimit_isDroppedOnceItPassesTheLimit() throws Exception {
    byte[] chunk = new byte[32 * 1024];
    Arrays.fill(chunk, (byte) 'a');
    peer.then(
            c -> {
              c.handshake()
                  .frame(
                      0x1,
                      false,
                      "{\"type\":\"snapshot\",\"version\":9,\"document\":{\"flags\":[],\"x\":\""
                          .getBytes(StandardCharsets.UTF_8));
              for (int i = 0; i < 64; i++) { // 2 MiB in 32 KiB continuation frames
                c.frame(0x0, false, chunk);
              }
            })
        .otherwise(c -> c.handshake().snapshot(10, doc(10)));
    startWebSocket();
    await("the oversized message dropped, the next served", () -> sink.currentVersion() == 10);
    assertThat(sink.offered()).containsExactly(10L);
    assertThat(peer.closedByClient.get()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void olderVersions_areNeverApplied_evenFromAServerThatLostItsState() throws Exception {
    peer.then(
            c -> {
              c.handshake()
                  .snapshot(10, doc(10))
                  .snapshot(7, doc(7))
                  .snapshot(10, doc(10))
                  .snapshot(12, doc(12))
                  .snapshot(11, doc(11));
              c.later(100, c::close);
            })
        // "Restarted" with an older file: it resends 3 before its next real change.
        .otherwise(c -> c.handshake().snapshot(3, doc(3)).snapshot(13, doc(13)));
    startWebSocket();
    await("the newest", () -> sink.currentVersion() == 13);
    assertThat(sink.applied()).containsExactly(10L, 12L, 13L);
    assertThat(sink.offered()).isSorted().doesNotHaveDuplicates();
    assertThat(sink.backwards()).isZero();
    assertThat(peer.requests.get(1)).contains("version=12");
  }

  @Test
  void binaryFramesPingsAndUnknownMessageTypes_areIgnoredWithoutDroppingTheConnection()
      throws Exception {
    CompletableFuture<HostilePeer.Conn> connection = new CompletableFuture<>();
    peer.then(c -> connection.complete(c.handshake()));
    startWebSocket();
    // The noise goes out once the client has taken the 101 (a binary frame glued to it is another
    // case, below); the long read-idle timeout means only the noise could end this connection.
    await("handshake complete", () -> sink.lastStatus() == ConnectionStatus.CONNECTED);
    HostilePeer.Conn c = connection.get(30, TimeUnit.SECONDS);
    c.later(
        0,
        () ->
            c.frame(0x2, true, new byte[] {1, 2, 3, 4})
                .frame(0x9, true, new byte[] {'p'})
                .text("{\"type\":\"hello\",\"version\":99}")
                .snapshot(5, doc(5)));
    await("the snapshot after the noise", () -> sink.currentVersion() == 5);
    assertThat(sink.lastStatus()).isEqualTo(ConnectionStatus.CONNECTED);
    assertThat(peer.streamRequests()).isEqualTo(1);
  }

  /**
   * Found by this suite: a binary frame whose bytes arrive in the same read as the 101 response is
   * lost inside Netty's HTTP client codec together with the frames behind it. The dynconfig server
   * never sends binary frames; against a peer that does, the read-idle timeout ends the silent
   * connection and the next one delivers. Nothing wrong is ever applied.
   */
  @Test
  void binaryFrameGluedToTheHandshake_isRecoveredByTheReadIdleTimeout() throws Exception {
    peer.then(c -> c.handshake().frame(0x2, true, new byte[] {1, 2, 3, 4}).snapshot(5, doc(5)))
        .otherwise(c -> c.handshake().snapshot(6, doc(6)));
    startWebSocket(settings(peer.wsUrl()).withReadIdleTimeout(SHORT));
    await("served, by this connection or the next", () -> sink.currentVersion() >= 5);
    assertThat(sink.applied()).isSorted().allMatch(v -> v == 5 || v == 6);
    assertThat(sink.backwards()).isZero();
  }

  @Test
  void malformedMessages_dropTheConnection_andTheLastGoodSnapshotKeepsServing() throws Exception {
    List<byte[]> bad =
        List.of(
            "{not json".getBytes(StandardCharsets.UTF_8),
            "[1,2,3]".getBytes(StandardCharsets.UTF_8),
            "\"a string\"".getBytes(StandardCharsets.UTF_8),
            "{\"type\":\"snapshot\",\"version\":-1,\"document\":{}}"
                .getBytes(StandardCharsets.UTF_8),
            "{\"type\":\"snapshot\",\"version\":6}".getBytes(StandardCharsets.UTF_8),
            "{\"type\":\"snapshot\",\"version\":6,\"document\":[]}"
                .getBytes(StandardCharsets.UTF_8),
            "{\"type\":\"snapshot\",\"version\":\"6\",\"document\":{}}"
                .getBytes(StandardCharsets.UTF_8),
            "{\"type\":\"snapshot\",\"version\":1e400,\"document\":{}}"
                .getBytes(StandardCharsets.UTF_8),
            "{\"type\":\"snapshot\",\"version\":99999999999999999999999,\"document\":{}}"
                .getBytes(StandardCharsets.UTF_8),
            new byte[] {'{', (byte) 0xC3, '(', '}'}); // invalid UTF-8 in a text frame
    peer.then(c -> c.handshake().snapshot(5, doc(5)).frame(0x1, true, bad.get(0)));
    for (byte[] b : bad.subList(1, bad.size())) {
      peer.then(c -> c.handshake().frame(0x1, true, b));
    }
    peer.otherwise(c -> c.handshake().snapshot(7, doc(7)));
    startWebSocket();
    await("served after all the garbage", () -> sink.currentVersion() == 7);
    assertThat(sink.applied()).containsExactly(5L, 7L);
    assertThat(peer.closedByClient.get()).isGreaterThanOrEqualTo(bad.size());
    assertThat(sink.statuses()).contains(ConnectionStatus.ERROR);
    assertThat(sink.errors()).anyMatch(e -> e != null && e.contains("malformed"));
    assertThat(sink.backwards()).isZero();
  }

  @Test
  void validJsonThatIsNotAValidDocument_isRejected_andServingContinues() throws Exception {
    peer.then(
        c ->
            c.handshake()
                .snapshot(5, doc(5))
                .snapshot(6, "{\"flags\":\"not an array\"}")
                .snapshot(7, doc(7)));
    startWebSocket();
    await("the next good one", () -> sink.currentVersion() == 7);
    assertThat(sink.rejected()).containsExactly(6L);
    assertThat(sink.applied()).containsExactly(5L, 7L);
    assertThat(peer.streamRequests()).isEqualTo(1);
  }

  @Test
  void pollingAHostileServer_appliesOnlyValidNewerDocuments_andKeepsPolling() throws Exception {
    AtomicInteger n = new AtomicInteger();
    List<HostilePeer.Script> answers =
        List.of(
            c -> c.raw("lol what\r\n\r\n".getBytes(StandardCharsets.UTF_8)).close(),
            c -> c.http(200, "ETag: \"5\"\r\n", doc(5)),
            c -> c.http(200, "ETag: \"3\"\r\n", doc(3)),
            c -> c.http(200, "ETag: \"6\"\r\n", "{not json"),
            c ->
                c.raw(
                    ("HTTP/1.1 200 OK\r\nETag: \"7\"\r\nContent-Length: "
                            + (100 << 20)
                            + "\r\n\r\n{")
                        .getBytes(StandardCharsets.UTF_8)),
            HostilePeer.Conn::stall,
            c -> c.http(500, "", "oops"),
            c -> c.http(200, "ETag: \"8\"\r\n", doc(8)));
    peer.flags(
        c -> {
          int i = n.getAndIncrement();
          if (i < answers.size()) {
            answers.get(i).run(c);
          } else {
            c.http(304, "ETag: \"8\"\r\n", "");
          }
        });
    HttpPollingSource s =
        new HttpPollingSource(
            settings(peer.httpUrl())
                .withRequestTimeout(SHORT)
                .withPollingInterval(Duration.ofMillis(50)));
    source = s;
    s.start(sink);
    await("the last good one", () -> sink.currentVersion() == 8);
    await("still polling", () -> n.get() > answers.size() + 2);
    assertThat(sink.applied()).containsExactly(5L, 8L);
    assertThat(sink.rejected()).containsExactly(6L);
    assertThat(sink.backwards()).isZero();
    assertThat(sink.lastStatus()).isEqualTo(ConnectionStatus.CONNECTED);
  }

  @Test
  void polling_comparesTheDocumentsOwnVersion_whateverTheHeadersSay_andRejectsAbsurdOnes()
      throws Exception {
    AtomicInteger n = new AtomicInteger();
    List<HostilePeer.Script> answers =
        List.of(
            c -> c.http(200, "ETag: \"10\"\r\n", doc(10)),
            c -> c.http(200, "", doc(3)), // no ETag: an older document
            c -> c.http(200, "ETag: \"12\"\r\n", doc(4)), // an ETag that lies
            c -> c.http(200, "", doc(9_000_000_000_000_000_000L)), // would freeze the client
            c -> c.http(200, "", doc(11)));
    peer.flags(
        c -> {
          int i = n.getAndIncrement();
          if (i < answers.size()) {
            answers.get(i).run(c);
          } else {
            c.http(304, "ETag: \"11\"\r\n", "");
          }
        });
    HttpPollingSource s =
        new HttpPollingSource(settings(peer.httpUrl()).withPollingInterval(Duration.ofMillis(50)));
    source = s;
    s.start(sink);
    await("the newest real version", () -> sink.currentVersion() == 11);
    assertThat(sink.offered()).containsExactly(10L, 11L);
    assertThat(sink.backwards()).isZero();
    assertThat(sink.errors())
        .anyMatch(e -> e != null && e.contains("serves version 3, below version 10"));
  }

  @Test
  void webSocket_rejectsAnAbsurdVersion_andKeepsTakingRealOnes() throws Exception {
    // Every connection (a frame glued to the 101 can be lost in the client's codec, see below):
    // the script sends after the handshake, and again on a reconnect.
    peer.otherwise(
        c ->
            c.handshake()
                .later(
                    50,
                    () ->
                        c.snapshot(5, doc(5))
                            .snapshot(9_000_000_000_000_000_000L, doc(9_000_000_000_000_000_000L))
                            .snapshot(6, doc(6))));
    startWebSocket(settings(peer.wsUrl()).withReadIdleTimeout(SHORT));
    await("the next real version", () -> sink.currentVersion() == 6);
    assertThat(sink.offered()).containsExactly(5L, 6L);
  }

  @Test
  void webSocket_serverBelowOurVersion_reconnectsAnnouncingIt_andTakesTheVersionAbove()
      throws Exception {
    peer.then(
            c -> {
              c.handshake().later(50, () -> c.snapshot(50, doc(50)));
              c.later(300, c::close);
            })
        // Restored from a backup: its current state is 10, below what we hold.
        .then(c -> c.handshake().later(50, () -> c.snapshot(10, doc(10)).snapshot(11, doc(11))))
        // A server that moves above the version the client announces.
        .otherwise(c -> c.handshake().later(50, () -> c.snapshot(51, doc(51))));
    startWebSocket();
    await("moved above", () -> sink.currentVersion() == 51);
    assertThat(sink.applied()).containsExactly(50L, 51L);
    assertThat(peer.requests.stream().filter(r -> r.contains("/v1/stream")).skip(1))
        .hasSize(2)
        .allMatch(r -> r.contains("version=50"));
    assertThat(sink.errors())
        .anyMatch(e -> e != null && e.contains("at version 10, below version 50"));
  }

  @Test
  void secretsInTheUrl_neverReachTheLogNorTheOfflineCache(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    peer.otherwise(c -> c.handshake().later(50, () -> c.snapshot(5, doc(5))));
    String url = peer.wsUrl().replace("ws://", "ws://ops:hunter2@") + "?token=abc123&region=eu";
    java.nio.file.Path cache = dir.resolve("cache.json");
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try (dev.dynconfig.DynamicConfig engine =
        dev.dynconfig.DynamicConfig.create(
            dev.dynconfig.DynamicConfigOptions.builder()
                .source(dev.dynconfig.SourceKind.WEBSOCKET)
                .url(URI.create(url))
                .token("read-token")
                .retry(FAST)
                .cacheFile(cache)
                .build())) {
      engine.initialize();
      await("applied", () -> engine.getState().version() == 5);
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("ws://***@").contains("token=***").contains("region=eu");
    assertThat(log).doesNotContain("hunter2").doesNotContain("abc123");
    await("cache written", () -> java.nio.file.Files.exists(cache));
    assertThat(java.nio.file.Files.readString(cache))
        .doesNotContain("hunter2")
        .doesNotContain("abc123");
  }
}
