package dev.dynconfig.bench.replicas;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.RetryOptions;
import dev.dynconfig.internal.source.SourceSink;
import dev.dynconfig.internal.source.remote.RemoteSettings;
import dev.dynconfig.internal.source.remote.WebSocketSource;
import dev.dynconfig.server.DynconfigServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Measurements for several servers on one store (ARCHITECTURE.md, "100,000 agents"):
 *
 * <pre>
 * propagation STORE_URL [servers=3] [clients=300] [writes=200]
 *     servers in this JVM on one PostgreSQL, clients spread over them, writes to server 0: the time
 *     from sending the write to each client of the OTHER servers holding it (p50/p99/max)
 * fanout [connections=1000] [writes=30] [kib=50]
 *     one server in its own JVM: its RSS with no and with N idle WebSocket connections, and its CPU
 *     time per write of a KIB document with no clients and with N clients (the difference is the
 *     broadcast)
 * </pre>
 *
 * Clients are real WebSocket sources (the runtime's), with a sink that only records versions, so
 * the client side costs little. Run: {@code java -cp bench/target/benchmarks.jar
 * dev.dynconfig.bench.replicas.ReplicasBench fanout}.
 */
public final class ReplicasBench {
  static final String READ = "bench-read";
  static final String ADMIN = "bench-admin";
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private ReplicasBench() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    switch (args.length == 0 ? "" : args[0]) {
      case "propagation" ->
          propagation(args[1], intArg(args, 2, 3), intArg(args, 3, 300), intArg(args, 4, 200));
      case "fanout" -> fanout(intArg(args, 1, 1000), intArg(args, 2, 30), intArg(args, 3, 50));
      default -> {
        System.err.println("usage: ReplicasBench propagation STORE_URL [servers clients writes]");
        System.err.println("       ReplicasBench fanout [connections writes kib]");
        System.exit(2);
      }
    }
    System.exit(0);
  }

  static void propagation(String store, int nServers, int nClients, int writes) throws Exception {
    List<DynconfigServer> servers = new ArrayList<>();
    List<Recorder> remote = new ArrayList<>();
    List<AutoCloseable> open = new ArrayList<>();
    try {
      for (int i = 0; i < nServers; i++) {
        DynconfigServer s =
            DynconfigServer.builder()
                .store(store)
                .host("127.0.0.1")
                .port(0)
                .readToken(READ)
                .adminToken(ADMIN)
                .build()
                .start();
        servers.add(s);
        open.add(s);
      }
      for (int c = 0; c < nClients; c++) {
        int server = c % nServers;
        Recorder r = connect(servers.get(server).port(), open);
        if (server != 0) {
          remote.add(r);
        }
      }
      int port0 = servers.get(0).port();
      long[] samples = new long[writes * remote.size()];
      int n = 0;
      for (int w = -20; w < writes; w++) { // 20 warm-up writes
        long sent = System.nanoTime();
        long v = put(port0, "/v1/admin/config/bench/w", "\"" + w + "\"");
        await(() -> remote.stream().allMatch(r -> r.version >= v), 30);
        if (w >= 0) {
          for (Recorder r : remote) {
            samples[n++] = r.arrivedFor(v) - sent;
          }
        }
      }
      Arrays.sort(samples, 0, n);
      System.out.printf(
          "propagation across servers: %d servers, %d clients (%d on other servers than the"
              + " writer), %d writes: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          nServers,
          nClients,
          remote.size(),
          writes,
          samples[n / 2] / 1e6,
          samples[(int) (n * 0.99)] / 1e6,
          samples[n - 1] / 1e6);
    } finally {
      for (int i = open.size() - 1; i >= 0; i--) {
        open.get(i).close();
      }
    }
  }

  static void fanout(int connections, int writes, int kib) throws Exception {
    Path dir = Files.createTempDirectory("dynconfig-fanout");
    Path file = dir.resolve("flags.json");
    Files.writeString(file, "{\"version\": 1, \"flags\": []}");
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      port = s.getLocalPort();
    }
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.dynconfig.server.ServerMain",
            "serve",
            "--file",
            file.toString(),
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("DYNCONFIG_READ_TOKEN", READ);
    pb.environment().put("DYNCONFIG_ADMIN_TOKEN", ADMIN);
    pb.redirectOutput(dir.resolve("server.log").toFile());
    Process server = pb.start();
    List<AutoCloseable> open = new ArrayList<>();
    try {
      await(() -> health(port), 60);
      String big = "x".repeat(kib * 1024 - 64);
      // Warm the server up (JIT), then the baseline: writes with nobody listening.
      for (int i = 0; i < 30; i++) {
        put(port, "/v1/admin/config/bench/doc", "\"" + i + big + "\"");
      }
      long rss0 = rssAfterGc(server.pid());
      long cpu0 = cpuNanos(server.pid());
      for (int i = 0; i < writes; i++) {
        put(port, "/v1/admin/config/bench/doc", "\"a" + i + big + "\"");
      }
      long alone = (cpuNanos(server.pid()) - cpu0) / writes;
      List<Recorder> clients = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        clients.add(connect(port, open));
      }
      long v0 = put(port, "/v1/admin/config/bench/doc", "\"first" + big + "\"");
      await(() -> clients.stream().allMatch(r -> r.version >= v0), 120);
      Thread.sleep(2000); // let the connection set-up settle
      long rss1 = rssAfterGc(server.pid());
      long cpu1 = cpuNanos(server.pid());
      for (int i = 0; i < writes; i++) {
        long v = put(port, "/v1/admin/config/bench/doc", "\"b" + i + big + "\"");
        await(() -> clients.stream().allMatch(r -> r.version >= v), 120);
      }
      long withClients = (cpuNanos(server.pid()) - cpu1) / writes;
      System.out.printf(
          "fan-out, one server: RSS %d MiB alone, %d MiB with %d idle WebSocket connections"
              + " (%.1f MiB per 1,000); CPU per write of a %d KiB document: %.2f ms alone, %.2f ms"
              + " with %d clients (broadcast %.2f ms, %.1f us per client)%n",
          rss0 >> 20,
          rss1 >> 20,
          connections,
          (rss1 - rss0) / 1048576.0 * 1000 / connections,
          kib,
          alone / 1e6,
          withClients / 1e6,
          connections,
          (withClients - alone) / 1e6,
          (withClients - alone) / 1e3 / connections);
    } finally {
      for (int i = open.size() - 1; i >= 0; i--) {
        open.get(i).close();
      }
      server.destroyForcibly();
    }
  }

  static Recorder connect(int port, List<AutoCloseable> open) {
    Recorder r = new Recorder();
    WebSocketSource ws =
        new WebSocketSource(
            RemoteSettings.of(URI.create("ws://127.0.0.1:" + port + "/v1/stream"), READ)
                .withRetry(new RetryOptions(3, Duration.ofMillis(50), Duration.ofSeconds(1)))
                .withPollingInterval(Duration.ofMinutes(10)));
    ws.start(r);
    open.add(ws);
    return r;
  }

  static long put(int port, String path, String body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + ADMIN)
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("PUT " + path + ": " + r.statusCode() + " " + r.body());
    }
    String b = r.body().replaceAll("\\s", "");
    return Long.parseLong(b.substring(b.indexOf(':') + 1, b.indexOf('}')));
  }

  static boolean health(int port) {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode()
          == 200;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static long rssAfterGc(long pid) throws Exception {
    new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
            Long.toString(pid),
            "GC.run")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor(30, TimeUnit.SECONDS);
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid);
  }

  /** utime + stime of the process, from /proc (clock ticks of 10 ms). */
  static long cpuNanos(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * 10_000_000L;
  }

  static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + seconds + " s");
      }
      Thread.sleep(1);
    }
  }

  static int intArg(String[] args, int i, int dflt) {
    return args.length > i ? Integer.parseInt(args[i]) : dflt;
  }

  /** Records the newest version and when each version arrived. */
  static final class Recorder implements SourceSink {
    volatile long version = -1;
    private final java.util.Map<Long, Long> arrived =
        new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public OfferResult offer(byte[] content, long v, String origin) {
      long now = System.nanoTime();
      if (v <= version) {
        return v == version ? OfferResult.UNCHANGED : OfferResult.STALE;
      }
      arrived.put(v, now);
      version = v;
      return OfferResult.APPLIED;
    }

    long arrivedFor(long v) {
      Long t = arrived.get(v);
      if (t != null) {
        return t;
      }
      // Coalesced (a newer version arrived first): the newer one carried it.
      return arrived.entrySet().stream()
          .filter(e -> e.getKey() >= v)
          .mapToLong(java.util.Map.Entry::getValue)
          .min()
          .orElseThrow();
    }

    @Override
    public void status(ConnectionStatus status, String error) {}

    @Override
    public long currentVersion() {
      return version;
    }
  }
}
