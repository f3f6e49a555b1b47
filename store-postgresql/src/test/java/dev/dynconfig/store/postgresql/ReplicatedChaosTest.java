package dev.dynconfig.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three server JVMs on one PostgreSQL, client engines in other JVMs, admin writes running; one
 * server SIGKILLed and restarted again and again, and the database restarted. Afterwards: every
 * acknowledged write is in the database, its history and the final document; no client ever applied
 * a lower version after a higher one; every client reaches the final version; and every client
 * whose server was killed moved to another server. CI: 4 kills, 1 database restart, 30 clients;
 * long mode ({@code -Ddynconfig.chaos.long=true}): 20 kills, 2 restarts, 200 clients.
 */
class ReplicatedChaosTest {
  static final boolean LONG = Boolean.getBoolean("dynconfig.chaos.long");
  static final long GRACE_MS = 200;

  /**
   * Moves where the very next version came from another server (the server the client moved to may
   * itself be killed before a new version reaches the client; then it cannot show).
   */
  static final AtomicInteger STRICT_MOVES = new AtomicInteger();

  static final int SERVERS = 3;
  static final int KILLS = LONG ? 20 : 4;
  static final int DB_RESTARTS = LONG ? 2 : 1;
  static final int CLIENT_JVMS = LONG ? 4 : 2;
  static final int CLIENTS_PER_JVM = LONG ? 50 : 15;
  @RegisterExtension static final EmbeddedDatabase db = new EmbeddedDatabase();
  @TempDir Path dir;

  /** A SIGKILL: asked for at {@code at}, process gone at {@code gone}. */
  record Kill(long at, long gone, int server) {}

  @Test
  void killedServersAndRestartedDatabase_loseNoAcknowledgedWrite_andClientsMoveOn()
      throws Exception {
    long started = System.nanoTime();
    String url = db.newDatabase();
    int[] ports = new int[SERVERS];
    Process[] servers = new Process[SERVERS];
    StringBuilder wsList = new StringBuilder();
    for (int i = 0; i < SERVERS; i++) {
      ports[i] = freePort();
      wsList
          .append(i == 0 ? "" : "|")
          .append("ws://127.0.0.1:")
          .append(ports[i])
          .append("/v1/stream");
    }
    List<Process> clientJvms = new ArrayList<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    Map<String, Long> acked = new LinkedHashMap<>();
    AtomicInteger unacknowledged = new AtomicInteger();
    List<Kill> kills = new ArrayList<>();
    Thread writer = null;
    try {
      for (int i = 0; i < SERVERS; i++) {
        servers[i] = startServer(url, ports[i], i);
      }
      for (int j = 0; j < CLIENT_JVMS; j++) {
        clientJvms.add(startClients(wsList.toString(), j * CLIENTS_PER_JVM));
      }
      writer =
          new Thread(
              () -> {
                Random rnd = new Random(1);
                for (int i = 0; writing.get(); i++) {
                  String key = "k" + i;
                  int port = ports[rnd.nextInt(SERVERS)];
                  try {
                    HttpResponse<String> r = Http.putConfig(port, key, "v" + i);
                    if (r.statusCode() == 200) {
                      long v = Docs.MAPPER.readTree(r.body()).path("version").asLong();
                      synchronized (acked) {
                        acked.put(key, v);
                      }
                      continue;
                    }
                  } catch (IOException | InterruptedException e) {
                    // the server is down or restarting: not acknowledged
                  }
                  unacknowledged.incrementAndGet();
                  sleepQuietly(20);
                }
              },
              "chaos-writer");
      writer.start();
      Random rnd = new Random(42);
      int restartsDone = 0;
      for (int k = 0; k < KILLS; k++) {
        Thread.sleep(300 + rnd.nextInt(LONG ? 1500 : 600));
        int victim = k % SERVERS;
        long at = System.currentTimeMillis();
        servers[victim].destroyForcibly();
        servers[victim].waitFor();
        kills.add(new Kill(at, System.currentTimeMillis(), victim));
        if (restartsDone < DB_RESTARTS && k == (restartsDone + 1) * KILLS / (DB_RESTARTS + 1)) {
          db.restart();
          restartsDone++;
        }
        servers[victim] = startServer(url, ports[victim], victim);
      }
      // A last round of writes with every server up, so every client gets versions after the
      // last kill (that is where moving on shows).
      Thread.sleep(1500);
      writing.set(false);
      writer.join(60_000);
      long last = 0;
      for (int i = 0; i < SERVERS; i++) {
        last =
            Math.max(
                last,
                Docs.MAPPER
                    .readTree(Http.putConfig(ports[i], "final-" + i, "done").body())
                    .path("version")
                    .asLong());
      }
      long finalVersion = databaseVersion(url);
      assertThat(finalVersion).isEqualTo(last);

      // 0 lost acknowledged writes: each key with its value in the final document, and once in
      // the history under the version it was acknowledged with.
      var doc =
          Docs.MAPPER.readTree(Http.send(ports[0], "GET", "/v1/flags", Http.READ, null).body());
      List<Long> ackVersions = new ArrayList<>(acked.values());
      for (int i = 1; i < ackVersions.size(); i++) {
        assertThat(ackVersions.get(i))
            .as("acknowledged versions increase")
            .isGreaterThan(ackVersions.get(i - 1));
      }
      for (Map.Entry<String, Long> e : acked.entrySet()) {
        assertThat(doc.path("config").path("t").path(e.getKey()).asText())
            .as(e.getKey())
            .isEqualTo("v" + e.getKey().substring(1));
      }
      assertHistoryHoldsEachOnce(url, acked, finalVersion);

      // Every client converges, never went backwards, and moved off every killed server.
      List<String> lines = awaitReports(clientJvms, finalVersion);
      int regressions = 0;
      int moved = 0;
      for (String line : lines) {
        String[] f = line.split(" ");
        assertThat(Long.parseLong(f[1]))
            .as("client %s final version", f[0])
            .isEqualTo(finalVersion);
        regressions += Integer.parseInt(f[2]);
        moved += assertMovedOn(f[0], f[3], kills);
      }
      assertThat(lines).hasSize(CLIENT_JVMS * CLIENTS_PER_JVM);
      assertThat(regressions).isZero();
      System.out.printf(
          "chaos: %d kills, %d database restarts, %d clients, %d acknowledged writes, %d"
              + " unacknowledged attempts, 0 lost, 0 regressions, %d client moves off a killed"
              + " server (%d with the very next version from another server), final version %d,"
              + " %d s%n",
          KILLS,
          DB_RESTARTS,
          lines.size(),
          acked.size(),
          unacknowledged.get(),
          moved,
          STRICT_MOVES.get(),
          finalVersion,
          Duration.ofNanos(System.nanoTime() - started).toSeconds());
    } finally {
      writing.set(false);
      if (writer != null) {
        writer.join(30_000);
      }
      for (Process p : clientJvms) {
        p.getOutputStream().close();
        p.destroyForcibly();
      }
      for (Process p : servers) {
        if (p != null) {
          p.destroyForcibly();
        }
      }
    }
  }

  /**
   * For each kill of a client's server (its last version over the WebSocket before the kill came
   * from the killed server), the next version it received over the WebSocket came from another
   * server. Returns how many such moves there were.
   */
  static int assertMovedOn(String client, String events, List<Kill> kills) {
    if (events.equals("-")) {
      throw new AssertionError("client " + client + " never applied a version");
    }
    List<long[]> ev = new ArrayList<>();
    for (String e : events.split(",")) {
      String[] p = e.split(":");
      if (Long.parseLong(p[2]) >= 100) {
        continue; // from the polling fallback
      }
      ev.add(new long[] {Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])});
    }
    int moved = 0;
    for (Kill k : kills) {
      long[] before = null;
      long[] firstAfter = null;
      boolean servedByAnother = false;
      for (long[] e : ev) {
        if (e[0] < k.at()) {
          before = e;
        } else if (e[0] > k.gone() + GRACE_MS) {
          // (frames the server wrote before it died may still arrive within the grace)
          firstAfter = firstAfter == null ? e : firstAfter;
          servedByAnother |= e[2] != k.server();
        }
      }
      if (before != null && before[2] == k.server()) {
        assertThat(servedByAnother)
            .as(
                "client %s was on server %d, killed at %d (gone %d), and was never served by another"
                    + " server afterwards; events %s",
                client, k.server(), k.at(), k.gone(), events)
            .isTrue();
        moved++;
        if (firstAfter[2] != k.server()) {
          STRICT_MOVES.incrementAndGet();
        }
      }
    }
    return moved;
  }

  /** Every acknowledged write still inside the kept history (the newest 1,000) is there once. */
  static void assertHistoryHoldsEachOnce(String url, Map<String, Long> acked, long finalVersion)
      throws Exception {
    try (Connection c = db.connect(url);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT change::json->>'action', version FROM dynconfig_history WHERE source = 'api'");
        ResultSet rs = s.executeQuery()) {
      Map<String, List<Long>> byChange = new LinkedHashMap<>();
      while (rs.next()) {
        byChange.computeIfAbsent(rs.getString(1), x -> new ArrayList<>()).add(rs.getLong(2));
      }
      for (Map.Entry<String, Long> e : acked.entrySet()) {
        if (e.getValue() <= finalVersion - PostgresStore.HISTORY_KEPT) {
          continue; // trimmed by design
        }
        assertThat(byChange.get("PUT config/t/" + e.getKey()))
            .as("history of " + e.getKey())
            .containsExactly(e.getValue());
      }
    }
  }

  static long databaseVersion(String url) throws Exception {
    try (Connection c = db.connect(url);
        var s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM dynconfig_document")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  List<String> awaitReports(List<Process> jvms, long finalVersion) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      List<String> lines = new ArrayList<>();
      for (int j = 0; j < jvms.size(); j++) {
        Process p = jvms.get(j);
        OutputStream out = p.getOutputStream();
        out.write("report\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        BufferedReader in = readers.get(p);
        String ack;
        while ((ack = in.readLine()) != null && !ack.equals("reported")) {
          // engine log lines
        }
        lines.addAll(Files.readAllLines(dir.resolve("clients-" + j + ".txt")));
      }
      boolean all = lines.stream().allMatch(l -> Long.parseLong(l.split(" ")[1]) == finalVersion);
      if (all || System.nanoTime() > deadline) {
        return lines;
      }
      Thread.sleep(500);
    }
  }

  final Map<Process, BufferedReader> readers = new java.util.HashMap<>();

  Process startClients(String servers, int offset) throws Exception {
    int index = offset / CLIENTS_PER_JVM;
    List<String> cmd =
        List.of(
            javaBin(),
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx256m",
            "-Ddynconfig.logLevel=warn",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            System.getProperty("java.class.path"),
            ChaosClients.class.getName(),
            Integer.toString(CLIENTS_PER_JVM),
            servers,
            dir.resolve("clients-" + index + ".txt").toString(),
            Integer.toString(offset));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DYNCONFIG_TOKEN", Http.READ);
    pb.redirectError(
        ProcessBuilder.Redirect.appendTo(dir.resolve("clients-" + index + ".log").toFile()));
    Process p = pb.start();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    readers.put(p, in);
    String line;
    while ((line = in.readLine()) != null && !line.equals("ready")) {
      // start-up output
    }
    if (line == null) {
      throw new IllegalStateException(
          "client JVM exited; see " + dir.resolve("clients-" + index + ".log"));
    }
    return p;
  }

  Process startServer(String url, int port, int index) throws Exception {
    Path log = dir.resolve("server-" + index + ".log");
    List<String> cmd =
        List.of(
            javaBin(),
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.dynconfig.server.ServerMain",
            "serve",
            "--store",
            url,
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--ping-interval-ms",
            "1000");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DYNCONFIG_READ_TOKEN", Http.READ);
    pb.environment().put("DYNCONFIG_ADMIN_TOKEN", Http.ADMIN);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      if (!p.isAlive()) {
        throw new IllegalStateException("server exited with " + p.exitValue() + "; see " + log);
      }
      try {
        if (Http.send(port, "GET", "/v1/health", null, null).statusCode() == 200) {
          return p;
        }
      } catch (IOException notYet) {
        // starting
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException("server did not come up within 90 s; see " + log);
      }
      Thread.sleep(20);
    }
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
