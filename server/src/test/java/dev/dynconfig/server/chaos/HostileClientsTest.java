package dev.dynconfig.server.chaos;

import static dev.dynconfig.server.chaos.Chaos.ADMIN;
import static dev.dynconfig.server.chaos.Chaos.READ;
import static dev.dynconfig.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.RetryOptions;
import dev.dynconfig.internal.source.SourceSink;
import dev.dynconfig.internal.source.remote.RemoteSettings;
import dev.dynconfig.internal.source.remote.WebSocketSource;
import dev.dynconfig.server.DynconfigServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server against clients that misbehave: thousands of connections, readers that never read,
 * connections that go silent, requests without tokens, bodies and frames over the limits. The
 * well-behaved client next to them keeps receiving every update, and the memory the server holds
 * per connection stays bounded.
 */
class HostileClientsTest {
  @TempDir Path dir;
  DynconfigServer server;
  final HttpClient http = Chaos.http();
  final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    if (server != null) {
      server.close();
    }
  }

  DynconfigServer start(Duration pingInterval) throws Exception {
    Path f = dir.resolve("flags.json");
    Files.writeString(f, Chaos.NATIVE);
    // The flood comes from one address, like a fleet behind one proxy: no per-address cap here
    // (HostileFloodsTest covers the caps).
    server =
        Chaos.server(f)
            .pingInterval(pingInterval)
            .maxConnectionsPerAddress(20_000)
            .maxConnections(20_000)
            .build()
            .start();
    return server;
  }

  /** A well-behaved client recording every version it is offered. */
  final class GoodClient implements SourceSink {
    final List<Long> versions = new CopyOnWriteArrayList<>();
    volatile long current = -1;
    volatile ConnectionStatus status;

    GoodClient() {
      WebSocketSource s =
          new WebSocketSource(
              RemoteSettings.of(URI.create("ws://127.0.0.1:" + server.port() + "/v1/stream"), READ)
                  .withRetry(new RetryOptions(3, Duration.ofMillis(20), Duration.ofMillis(200))));
      closeables.add(s);
      s.start(this);
    }

    @Override
    public OfferResult offer(byte[] content, long version, String origin) {
      versions.add(version);
      current = version;
      return OfferResult.APPLIED;
    }

    @Override
    public void status(ConnectionStatus s, String error) {
      status = s;
    }

    @Override
    public long currentVersion() {
      return current;
    }
  }

  long put(String path, String body) throws Exception {
    var r = Chaos.send(http, server.port(), "PUT", path, ADMIN, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Long.parseLong(r.body().replaceAll("[^0-9]", ""));
  }

  @Test
  void connectionFlood_isAbsorbed_andTheWellBehavedClientGetsEveryUpdate() throws Exception {
    start(Duration.ofSeconds(15));
    GoodClient good = new GoodClient();
    await("good client connected", () -> good.current == 1);
    long fdLimit = fileDescriptorLimit();
    // Each loopback connection costs two descriptors in this JVM (client and server side).
    int n = (int) Math.min(Chaos.LONG ? 5000 : 2000, (fdLimit - 1000) / 2);
    List<RawPeer> flood = new ArrayList<>();
    int upgraded = 0;
    long v0 = server.version();
    List<Long> written = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      RawPeer p = RawPeer.connect(server.port());
      flood.add(p);
      closeables.add(p);
      switch (i % 4) {
        case 0, 1 -> {
          p.upgrade(READ, i % 8 == 0 ? v0 : -1); // readers that never read
          upgraded++;
        }
        case 2 -> p.write("GET /v1/flags HTTP/1.1\r\nHost: x\r\n\r\n"); // no token
        default -> {
          // connected, silent
        }
      }
      if (i % 200 == 199) {
        written.add(put("/v1/admin/config/flood/k" + i, "" + i));
      }
    }
    int expectedStreams = upgraded + 1;
    await("all upgrades registered", () -> server.streamConnections() == expectedStreams);
    long last = written.get(written.size() - 1);
    await("good client has the last write", () -> good.current == last);
    assertThat(good.versions).containsSubsequence(written).isSorted().doesNotHaveDuplicates();
    // Unauthenticated ones were answered 401 and closed.
    for (int i = 2; i < n; i += 4) {
      String head = flood.get(i).readHead();
      assertThat(RawPeer.status(head)).isEqualTo(401);
    }
    for (RawPeer p : flood) {
      p.close();
    }
    await("server dropped the flood", () -> server.streamConnections() == 1);
    long after = put("/v1/admin/flags/after-flood", "{\"defaultValue\": true}");
    await("good client still served", () -> good.current == after);
    assertThat(good.status).isEqualTo(ConnectionStatus.CONNECTED);
    System.out.printf("flood: %d connections (%d upgraded) absorbed%n", n, upgraded);
  }

  @Test
  void readerThatNeverReads_holdsAtMostOneMessageBeyondTheWaterMark_andGetsTheNewestLater()
      throws Exception {
    start(Duration.ofSeconds(15));
    // A ~256 KiB document, so a few unread snapshots would pass the 1 MiB high-water mark.
    String big = "\"" + "x".repeat(256 * 1024) + "\"";
    long v = put("/v1/admin/config/blob/data", big);
    GoodClient good = new GoodClient();
    await("good client has the big document", () -> good.current == v);
    RawPeer slow = RawPeer.connect(server.port(), 4096);
    closeables.add(slow);
    slow.upgrade(READ, -1);
    await("slow reader registered", () -> server.streamConnections() == 2);
    int writes = Chaos.LONG ? 200 : 60;
    long maxPending = 0;
    long lastVersion = 0;
    for (int i = 0; i < writes; i++) {
      lastVersion = put("/v1/admin/config/blob/counter", "" + i);
      maxPending = Math.max(maxPending, server.maxPendingStreamBytes());
    }
    long finalVersion = lastVersion;
    await("good client has every write", () -> good.current == finalVersion);
    long docBytes = big.length() + 1024;
    // Without coalescing this would be ~writes x 256 KiB (15 MiB in CI mode).
    assertThat(maxPending)
        .as("bytes queued for the reader that never reads")
        .isLessThanOrEqualTo((1 << 20) + 2 * docBytes);
    assertThat(good.versions).isSorted().doesNotHaveDuplicates().contains(finalVersion);
    // A reader that keeps up gets every version; one that falls more than 1 MiB behind (256 KiB
    // documents written back to back) may have intermediate ones coalesced, by design: it still
    // ends on the newest, in order.
    // Now it reads: it must end on the newest version, skipping what was coalesced.
    assertThat(RawPeer.status(slow.readHead())).isEqualTo(101);
    long seen = -1;
    int frames = 0;
    while (seen < finalVersion) {
      RawPeer.Frame f = slow.readFrame();
      if (f.opcode() == 0x1) {
        frames++;
        String t = f.text();
        long fv =
            Long.parseLong(t.substring(t.indexOf("\"version\":") + 10, t.indexOf(",\"document\"")));
        assertThat(fv).isGreaterThan(seen);
        seen = fv;
      }
    }
    assertThat(frames).isLessThan(writes);
    System.out.printf(
        "slow reader: %d writes of a %d KiB document, max %d KiB queued, %d frames delivered;"
            + " good client saw %d versions%n",
        writes, docBytes / 1024, maxPending / 1024, frames, good.versions.size());
  }

  @Test
  void silentConnections_arePingedThenClosed_andSlowlorisHeadsAreDropped() throws Exception {
    start(Duration.ofMillis(300));
    RawPeer tcpOnly = RawPeer.connect(server.port());
    RawPeer halfHead =
        RawPeer.connect(server.port()).write("GET /v1/flags HTTP/1.1\r\nAuthorization: Bea");
    RawPeer silentWs = RawPeer.connect(server.port()).upgrade(READ, -1);
    closeables.addAll(List.of(tcpOnly, halfHead, silentWs));
    assertThat(RawPeer.status(silentWs.readHead())).isEqualTo(101);
    assertThat(silentWs.readFrame().opcode()).isEqualTo(0x1); // the document
    assertThat(silentWs.readFrame().opcode()).as("a ping").isEqualTo(0x9);
    assertThat(silentWs.closedByServer()).as("closed after not answering").isTrue();
    assertThat(tcpOnly.closedByServer()).isTrue();
    assertThat(halfHead.closedByServer()).isTrue();
    await("no stream left", () -> server.streamConnections() == 0);
  }

  @Test
  void pongingClient_staysConnectedPastSeveralPingIntervals() throws Exception {
    start(Duration.ofMillis(200));
    RawPeer ws = RawPeer.connect(server.port()).upgrade(READ, -1);
    closeables.add(ws);
    assertThat(RawPeer.status(ws.readHead())).isEqualTo(101);
    int pings = 0;
    while (pings < 5) {
      RawPeer.Frame f = ws.readFrame();
      if (f.opcode() == 0x9) {
        pings++;
        ws.sendFrame(0xA, f.payload());
      }
    }
    assertThat(server.streamConnections()).isEqualTo(1);
  }

  @Test
  void oversizedBodiesAndFrames_areRefusedBeforeTheyAreRead() throws Exception {
    start(Duration.ofSeconds(15));
    GoodClient good = new GoodClient();
    await("good client connected", () -> good.current == 1);
    // No token: 401 on the head, the announced gigabyte is never awaited.
    RawPeer anon =
        RawPeer.connect(server.port())
            .write(
                "PUT /v1/admin/document HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n");
    assertThat(RawPeer.status(anon.readHead())).isEqualTo(401);
    assertThat(anon.closedByServer()).isTrue();
    // Admin token: 413 on the head.
    RawPeer admin =
        RawPeer.connect(server.port())
            .write(
                "PUT /v1/admin/document HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + ADMIN
                    + "\r\nContent-Length: 1073741824\r\n\r\n");
    assertThat(RawPeer.status(admin.readHead())).isEqualTo(413);
    // A real 2 MiB body.
    var r =
        Chaos.send(
            http,
            server.port(),
            "PUT",
            "/v1/admin/config/big/x",
            ADMIN,
            "\"" + "y".repeat(2 << 20) + "\"");
    assertThat(r.statusCode()).isEqualTo(413);
    // A client frame announcing 1 GiB on the stream: closed with 1009 from the header.
    RawPeer ws = RawPeer.connect(server.port()).upgrade(READ, 1);
    closeables.addAll(List.of(anon, admin, ws));
    assertThat(RawPeer.status(ws.readHead())).isEqualTo(101);
    ws.write(new byte[] {(byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 0x40, 0, 0, 0, 0, 1, 2, 3, 4});
    RawPeer.Frame close = ws.readFrame();
    assertThat(close.opcode()).isEqualTo(0x8);
    assertThat(((close.payload()[0] & 0xFF) << 8) | (close.payload()[1] & 0xFF)).isEqualTo(1009);
    // Nothing changed, and the good client is still served.
    assertThat(server.version()).isEqualTo(1);
    long v = put("/v1/admin/flags/still-fine", "{\"defaultValue\": true}");
    await("good client served", () -> good.current == v);
  }

  static long fileDescriptorLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"), StandardCharsets.UTF_8)) {
        if (line.startsWith("Max open files")) {
          return Long.parseLong(line.substring(26).trim().split("\\s+")[0]);
        }
      }
    } catch (Exception ignored) {
      // not Linux: assume a modest limit
    }
    return 4096;
  }
}
