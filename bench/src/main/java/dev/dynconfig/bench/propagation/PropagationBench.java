package dev.dynconfig.bench.propagation;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.Fallback;
import dev.dynconfig.SourceKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Section 3 of BENCHMARKS.md: how fast an admin write reaches N clients, and what idle connections
 * cost the server.
 *
 * <p>The server runs in its own JVM (so its heap and CPU can be measured alone); the writer and all
 * N clients run in this JVM, each client a {@link DynamicConfig} engine with its own {@code
 * WebSocketSource} connection (they share the runtime's one network event-loop thread). A client's
 * arrival time is taken with {@link System#nanoTime} in its snapshot-swap listener, the write's
 * with the same clock right after the admin API's HTTP response arrives — one clock, no skew.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.dynconfig.bench.propagation.PropagationBench
 * [--quick] [--clients=1,100,1000] [--writes=50] [--idle-seconds=30]}
 */
public final class PropagationBench {
  private static final String READ = "bench-read-token";
  private static final String ADMIN = "bench-admin-token";

  private PropagationBench() {}

  public static void main(String[] args) throws Exception {
    // 1,000 engines each log every applied document at INFO: keep the output to the results.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    boolean quick = Arrays.asList(args).contains("--quick");
    int[] sizes = quick ? new int[] {1, 20} : new int[] {1, 100, 1000};
    int writes = quick ? 5 : 50;
    int idleSeconds = quick ? 3 : 30;
    for (String a : args) {
      if (a.startsWith("--clients=")) {
        sizes = Arrays.stream(a.substring(10).split(",")).mapToInt(Integer::parseInt).toArray();
      } else if (a.startsWith("--writes=")) {
        writes = Integer.parseInt(a.substring(9));
      } else if (a.startsWith("--idle-seconds=")) {
        idleSeconds = Integer.parseInt(a.substring(15));
      }
    }
    Path dir = Files.createTempDirectory("dynconfig-propagation");
    Path file = dir.resolve("flags.json");
    Files.writeString(
        file, "{\"version\": 1, \"flags\": [{\"key\": \"f\", \"defaultValue\": false}]}");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process server =
        new ProcessBuilder(
                javaBin(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.dynconfig.server.ServerMain",
                "--file=" + file,
                "--host=127.0.0.1",
                "--port=" + port,
                "--read-token=" + READ,
                "--admin-token=" + ADMIN)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    try {
      awaitPort(port);
      System.out.printf(
          "server pid %d on 127.0.0.1:%d; %d writes per N%n", server.pid(), port, writes);
      long baselineHeap = heapAfterGc(server.pid());
      System.out.println();
      System.out.println(
          "| N | p50 ms | p99 ms | max ms | all N ms (p50 / max over writes)"
              + " | from request sent: p50 / p99 ms |");
      System.out.println("|---:|---:|---:|---:|---:|---:|");
      HttpClient http = HttpClient.newHttpClient();
      List<DynamicConfig> clients = new ArrayList<>();
      String idle = null;
      for (int n : sizes) {
        while (clients.size() < n) {
          clients.add(connect(port, dir.resolve("cache-" + clients.size() + ".json")));
        }
        System.out.println(measure(http, port, clients.subList(0, n), writes));
        if (n == sizes[sizes.length - 1]) {
          idle = idleCost(server.pid(), n, baselineHeap, idleSeconds);
        }
      }
      System.out.println();
      System.out.println(idle);
      for (DynamicConfig c : clients) {
        c.close();
      }
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static DynamicConfig connect(int port, Path cache) {
    DynamicConfig c =
        DynamicConfig.create(
            DynamicConfigOptions.builder()
                .source(SourceKind.WEBSOCKET)
                .url(URI.create("ws://127.0.0.1:" + port + "/v1/stream"))
                .token(READ)
                .cacheFile(cache)
                .fallback(Fallback.DEFAULT)
                .initTimeout(Duration.ofSeconds(30))
                .registerJmx(false)
                .build());
    c.initialize();
    return c;
  }

  /** One row: {@code writes} admin writes, each awaited at every client before the next. */
  private static String measure(HttpClient http, int port, List<DynamicConfig> clients, int writes)
      throws Exception {
    int n = clients.size();
    long[] latencies = new long[n * writes];
    long[] fromSend = new long[n * writes];
    long[] allN = new long[writes];
    AtomicLongArray arrival = new AtomicLongArray(n);
    long[] target = {Long.MAX_VALUE};
    AtomicInteger arrived = new AtomicInteger();
    List<dev.dynconfig.Subscription> subs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int idx = i;
      subs.add(
          clients
              .get(i)
              .introspection()
              .subscribeToSnapshots(
                  info -> {
                    if (info.version() >= target[0]
                        && arrival.compareAndSet(idx, 0, System.nanoTime())) {
                      arrived.incrementAndGet();
                    }
                  }));
    }
    int k = 0;
    for (int w = 0; w < writes; w++) {
      for (int i = 0; i < n; i++) {
        arrival.set(i, 0);
      }
      arrived.set(0);
      long expected = currentVersion(clients.get(0)) + 1;
      target[0] = expected;
      long sent = System.nanoTime();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/admin/flags/f"))
                  .header("Authorization", "Bearer " + ADMIN)
                  .PUT(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"defaultValue\": " + (w % 2 == 0) + "}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      long acked = System.nanoTime();
      Matcher v = Pattern.compile("\"version\"\\s*:\\s*(\\d+)").matcher(r.body());
      if (r.statusCode() != 200 || !v.find() || Long.parseLong(v.group(1)) != expected) {
        throw new IllegalStateException(
            "admin write failed or unexpected version: " + r.statusCode() + " " + r.body());
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (arrived.get() < n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              arrived.get() + "/" + n + " clients got version " + expected + " within 30 s");
        }
        Thread.sleep(0, 200_000);
      }
      long last = Long.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        long d = arrival.get(i) - acked;
        fromSend[k] = arrival.get(i) - sent;
        latencies[k++] = d;
        last = Math.max(last, d);
      }
      allN[w] = last;
      Thread.sleep(50); // let the server and clients settle between writes
    }
    for (var s : subs) {
      s.close();
    }
    Arrays.sort(latencies);
    Arrays.sort(fromSend);
    Arrays.sort(allN);
    return String.format(
        Locale.ROOT,
        "| %,d | %s | %s | %s | %s / %s | %s / %s |",
        n,
        ms(latencies[(int) Math.floor(0.50 * (latencies.length - 1))]),
        ms(latencies[(int) Math.floor(0.99 * (latencies.length - 1))]),
        ms(latencies[latencies.length - 1]),
        ms(allN[(allN.length - 1) / 2]),
        ms(allN[allN.length - 1]),
        ms(fromSend[(int) Math.floor(0.50 * (fromSend.length - 1))]),
        ms(fromSend[(int) Math.floor(0.99 * (fromSend.length - 1))]));
  }

  private static long currentVersion(DynamicConfig c) {
    return c.introspection().version();
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
  }

  /** Server heap after GC and CPU while {@code n} connections sit idle. */
  private static String idleCost(long pid, int n, long baselineHeap, int seconds) throws Exception {
    long heap = heapAfterGc(pid);
    long cpu0 = cpuTicks(pid);
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long cpu1 = cpuTicks(pid);
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpuSeconds = (cpu1 - cpu0) / 100.0; // USER_HZ = 100 on Linux
    double perThousand = 1000.0 / n;
    return String.format(
        Locale.ROOT,
        "idle server with %,d connections: heap after GC %,.1f MiB (%,.1f MiB before any client;"
            + " %,.1f MiB per 1,000 connections), CPU %.2f%% of one core over %.0f s"
            + " (%.3f%% per 1,000 connections)",
        n,
        heap / 1048576.0,
        baselineHeap / 1048576.0,
        (heap - baselineHeap) * perThousand / 1048576.0,
        100 * cpuSeconds / wall,
        wall,
        100 * cpuSeconds / wall * perThousand);
  }

  /** Runs a full GC in the server and returns its used heap in bytes (via jcmd). */
  private static long heapAfterGc(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
    long used = 0;
    while (m.find()) { // G1: one line for the whole heap
      used = Long.parseLong(m.group(2)) * 1024;
      break;
    }
    return used;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void awaitPort(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("the server did not listen on port " + port + " within 60 s");
  }
}
