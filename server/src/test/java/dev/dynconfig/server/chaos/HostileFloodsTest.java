package dev.dynconfig.server.chaos;

import static dev.dynconfig.server.chaos.Chaos.ADMIN;
import static dev.dynconfig.server.chaos.Chaos.READ;
import static dev.dynconfig.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.server.DynconfigServer;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read-token holders (and peers without any token) trying to exhaust the server's memory or
 * connections: pings never read, pipelined requests never read, bodies where none belong, huge
 * uploads on keep-alive, connection floods from one address, request heads trickled byte by byte.
 * Under each, what is queued for the attacker stays bounded, a well-behaved client still reads and
 * writes, and the server is back to normal as soon as the attacker leaves. Sizes prove the bound in
 * CI; {@code -Ddynconfig.chaos.long=true} floods longer (RELIABILITY.md reports both).
 */
class HostileFloodsTest {
  @TempDir Path dir;
  DynconfigServer server;
  final HttpClient http = Chaos.http();
  final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() {
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

  DynconfigServer start(DynconfigServer.Builder b) throws Exception {
    server = b.build().start();
    return server;
  }

  DynconfigServer.Builder builder() throws IOException {
    Path f = dir.resolve("flags.json");
    Files.writeString(f, Chaos.NATIVE);
    return Chaos.server(f).pingInterval(Duration.ofSeconds(1)).onFatalError(t -> {});
  }

  /** Direct memory in use by Netty's allocator and JDK direct buffers, in bytes. */
  static long directBytes() {
    long jdk = 0;
    for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (b.getName().equals("direct")) {
        jdk = b.getMemoryUsed();
      }
    }
    return Math.max(0, PlatformDependent.usedDirectMemory()) + jdk;
  }

  /** Heap in use (garbage included: an upper bound of what the attack made the server keep). */
  static long heapBytes() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * The well-behaved client: a GET and an admin write must succeed; returns the slower of the two
   * in milliseconds (reported, not asserted: CI timing is not reliable).
   */
  long wellBehavedRoundTrip(String key) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> get = Chaos.send(http, server.port(), "GET", "/v1/flags", READ, null);
    long t1 = System.nanoTime();
    HttpResponse<String> put =
        Chaos.send(
            http, server.port(), "PUT", "/v1/admin/config/good/" + key, ADMIN, "\"still here\"");
    long t2 = System.nanoTime();
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    return Math.max(t1 - t0, t2 - t1) / 1_000_000;
  }

  /** Samples the largest per-connection queue while {@code attack} runs on its own thread. */
  long[] underAttack(ThrowingRunnable attack, String what) throws Exception {
    System.gc();
    long direct0 = directBytes();
    long heap0 = heapBytes();
    AtomicLong maxPending = new AtomicLong();
    AtomicLong maxDirect = new AtomicLong();
    AtomicLong maxHeap = new AtomicLong();
    Thread attacker =
        new Thread(
            () -> {
              try {
                attack.run();
              } catch (Exception expected) {
                // the server hung up on the attacker
              }
            },
            "attacker");
    attacker.setDaemon(true);
    attacker.start();
    long slowest = 0;
    int rounds = 0;
    while (attacker.isAlive() && rounds < (Chaos.LONG ? 400 : 40)) {
      maxPending.accumulateAndGet(server.maxPendingBytes(), Math::max);
      maxDirect.accumulateAndGet(directBytes() - direct0, Math::max);
      maxHeap.accumulateAndGet(heapBytes() - heap0, Math::max);
      if (rounds % 10 == 0) {
        slowest = Math.max(slowest, wellBehavedRoundTrip(what + rounds));
      }
      rounds++;
      Thread.sleep(25);
    }
    slowest = Math.max(slowest, wellBehavedRoundTrip(what + "-end"));
    return new long[] {maxPending.get(), maxDirect.get(), slowest, maxHeap.get()};
  }

  /** How long until the server holds no connection but the well-behaved client's. */
  long recoveryMillis(long leftAt) throws Exception {
    await("attacker connections gone", () -> server.openConnections() <= 1);
    long ms = (System.nanoTime() - leftAt) / 1_000_000;
    wellBehavedRoundTrip("after");
    return ms;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void pingFlood_fromAReaderThatNeverReads_isCutOff_withTheQueueBounded() throws Exception {
    start(builder());
    RawPeer flooder = RawPeer.connect(server.port(), 4096);
    closeables.add(flooder);
    flooder.upgrade(READ, -1);
    await("stream registered", () -> server.streamConnections() == 1);
    long megabytes = Chaos.LONG ? 150 : 16;
    byte[] payload = new byte[125];
    AtomicLong sent = new AtomicLong();
    long[] m =
        underAttack(
            () -> {
              while (sent.get() < megabytes << 20) {
                flooder.sendFrame(0x9, payload);
                sent.addAndGet(131);
              }
            },
            "ping");
    long left = System.nanoTime();
    flooder.close();
    long recovered = recoveryMillis(left);
    System.out.printf(
        "ping flood: %d KiB of pings sent, max queued %d KiB, direct +%d KiB, heap +%d KiB,"
            + " slowest good round trip %d ms, recovered in %d ms%n",
        sent.get() >> 10, m[0] >> 10, m[1] >> 10, m[3] >> 10, m[2], recovered);
    assertThat(sent.get()).as("the server stopped taking pings").isLessThan(megabytes << 20);
    assertThat(m[0]).as("bytes queued for the flooder").isLessThanOrEqualTo((1 << 20) + 64 * 1024);
    assertThat(server.streamConnections()).isZero();
  }

  @Test
  void pipelinedRequestsNeverRead_stopBeingRead_withTheQueueBounded() throws Exception {
    start(builder());
    // A document of some size, so unread responses would add up quickly.
    String blob = "\"" + "z".repeat(4 * 1024) + "\"";
    assertThat(
            Chaos.send(http, server.port(), "PUT", "/v1/admin/config/blob/x", ADMIN, blob)
                .statusCode())
        .isEqualTo(200);
    // More than the kernel buffers between the two ends hold (a few MiB on loopback), so the
    // writes fail once the server stops reading and hangs up.
    int requests = Chaos.LONG ? 1_000_000 : 200_000;
    byte[] one =
        ("GET /v1/flags HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + READ + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    RawPeer pipeliner = RawPeer.connect(server.port(), 4096);
    closeables.add(pipeliner);
    AtomicLong written = new AtomicLong();
    long[] m =
        underAttack(
            () -> {
              byte[] batch = new byte[one.length * 100];
              for (int i = 0; i < 100; i++) {
                System.arraycopy(one, 0, batch, i * one.length, one.length);
              }
              for (int i = 0; i < requests; i += 100) {
                pipeliner.write(batch);
                written.addAndGet(100);
              }
            },
            "pipeline");
    long left = System.nanoTime();
    pipeliner.close();
    long recovered = recoveryMillis(left);
    System.out.printf(
        "pipelined GETs: %d written of %d, max queued %d KiB, direct +%d KiB, heap +%d KiB,"
            + " slowest good round trip %d ms, recovered in %d ms%n",
        written.get(), requests, m[0] >> 10, m[1] >> 10, m[3] >> 10, m[2], recovered);
    // Without the bound: ~4 KiB per request answered, i.e. hundreds of MiB.
    assertThat(m[0])
        .as("bytes queued for the pipeliner")
        .isLessThanOrEqualTo(64 * 1024 + 32 * 1024);
    assertThat(written.get()).as("the server stopped reading").isLessThan(requests);
  }

  @Test
  void bodiesOnRoutesThatTakeNone_areRefusedOnTheHead_andNeverBuffered() throws Exception {
    start(builder());
    int n = Chaos.LONG ? 450 : 100;
    List<RawPeer> peers = new ArrayList<>();
    long direct0 = directBytes();
    for (int i = 0; i < n; i++) {
      RawPeer p = RawPeer.connect(server.port());
      closeables.add(p);
      peers.add(p);
      p.write(
          (i % 2 == 0 ? "GET /v1/flags" : "DELETE /v1/admin/flags/x")
              + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1048575\r\nAuthorization: Bearer "
              + (i % 2 == 0 ? READ : ADMIN)
              + "\r\n\r\n");
      p.write(new byte[32 * 1024]); // a part of the body; the server must not wait for the rest
    }
    for (RawPeer p : peers) {
      assertThat(RawPeer.status(p.readHead())).isEqualTo(413);
      assertThat(p.closedByServer()).isTrue();
    }
    long direct = directBytes() - direct0;
    System.out.printf(
        "bodies on body-less routes: %d connections refused on the head, direct +%d KiB%n",
        n, direct >> 10);
    wellBehavedRoundTrip("bodies");
    assertThat(server.version()).isEqualTo(2);
  }

  @Test
  void hugeUploadOnKeepAlive_gets413OnTheHead_andTheConnectionIsClosed() throws Exception {
    start(builder());
    RawPeer p = RawPeer.connect(server.port());
    closeables.add(p);
    p.write(
        "PUT /v1/admin/document HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n"
            + "Content-Length: 104857600\r\nAuthorization: Bearer "
            + ADMIN
            + "\r\n\r\n");
    assertThat(RawPeer.status(p.readHead())).isEqualTo(413);
    try {
      p.write(new byte[256 * 1024]); // what a client already had in flight
    } catch (IOException alreadyClosed) {
      // fine
    }
    assertThat(p.closedByServer()).as("closed instead of reading 100 MB").isTrue();
    // A chunked upload has no length on its head: refused once it passes the limit, then closed.
    RawPeer c = RawPeer.connect(server.port());
    closeables.add(c);
    c.write(
        "PUT /v1/admin/config/a/b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            + "Authorization: Bearer "
            + ADMIN
            + "\r\n\r\n");
    String chunk = Integer.toHexString(64 * 1024) + "\r\n" + "a".repeat(64 * 1024) + "\r\n";
    String status = null;
    try {
      for (int i = 0; i < 40 && status == null; i++) {
        c.write(chunk);
      }
    } catch (IOException closed) {
      // the server answered and hung up
    }
    assertThat(RawPeer.status(c.readHead())).isEqualTo(413);
    assertThat(c.closedByServer()).isTrue();
    assertThat(server.version()).isEqualTo(1);
  }

  @Test
  void connectionCaps_perAddressAndInTotal_refuseTheExcess_andOthersAreServed() throws Exception {
    start(builder().maxConnectionsPerAddress(20).maxConnections(50));
    List<RawPeer> attackers = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      RawPeer p = RawPeer.connectFrom("127.0.0.2", server.port(), -1);
      attackers.add(p);
      closeables.add(p);
    }
    await("the excess from one address refused", () -> server.refusedConnections() >= 10);
    await("20 kept", () -> server.openConnections() == 20);
    wellBehavedRoundTrip("per-address"); // from 127.0.0.1: not affected
    for (int i = 0; i < 40; i++) {
      RawPeer p = RawPeer.connectFrom("127.0.0." + (3 + i / 20), server.port(), -1);
      attackers.add(p);
      closeables.add(p);
    }
    // 20 from each of three addresses is 60: the last 10 exceed the total of 50.
    await("the total is capped", () -> server.refusedConnections() >= 10 + 10);
    assertThat(server.openConnections()).isLessThanOrEqualTo(50);
    long left = System.nanoTime();
    for (RawPeer p : attackers) {
      p.close();
    }
    await("attackers gone", () -> server.openConnections() <= 1);
    System.out.printf(
        "connection caps: %d refused, recovered in %d ms%n",
        server.refusedConnections(), (System.nanoTime() - left) / 1_000_000);
    wellBehavedRoundTrip("after-caps");
  }

  @Test
  void requestHeadTrickledByteByByte_isClosedAfterTheHeadTimeout() throws Exception {
    // The idle timeout (ping interval) is long; every trickled byte would reset it.
    start(builder().pingInterval(Duration.ofSeconds(30)).headTimeout(Duration.ofMillis(500)));
    RawPeer slow = RawPeer.connect(server.port());
    closeables.add(slow);
    Thread trickle =
        new Thread(
            () -> {
              try {
                for (char ch : "GET /v1/flags HTTP/1.1\r\nX-Pad: ".toCharArray()) {
                  slow.write(String.valueOf(ch));
                  Thread.sleep(40);
                }
                while (true) {
                  slow.write("a");
                  Thread.sleep(40);
                }
              } catch (Exception closed) {
                // the server hung up
              }
            });
    trickle.setDaemon(true);
    trickle.start();
    assertThat(slow.closedByServer()).as("closed by the head timeout").isTrue();
    trickle.join(10_000);
    wellBehavedRoundTrip("trickle");
  }
}
