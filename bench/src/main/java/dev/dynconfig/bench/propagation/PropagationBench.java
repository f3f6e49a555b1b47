package dev.dynconfig.bench.propagation;

import static dev.dynconfig.bench.propagation.Latencies.ms;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Section 3 of BENCHMARKS.md: how fast an admin write reaches N clients, and what idle connections
 * cost the server.
 *
 * <p>Three kinds of JVM on one machine, all on loopback: the server ({@code ServerMain}, alone so
 * its heap and CPU can be measured), {@code --client-jvms} {@link ClientFleet} JVMs sharing the N
 * clients between them (each client a {@code DynamicConfig} engine with its own WebSocket
 * connection), and this driver, which only writes through the admin API and collects results. Every
 * time is {@link EpochClock} microseconds, which the JVMs share: the write's when its HTTP response
 * has arrived here, each client's in its snapshot-swap listener.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.dynconfig.bench.propagation.PropagationBench
 * [--quick] [--clients=1,100,1000] [--client-jvms=4] [--writes=50] [--warmup=5] [--max-warmup=200]
 * [--idle-seconds=30] [--cache-dir=DIR]}
 */
public final class PropagationBench {
  private static final String READ = "bench-read-token";
  private static final String ADMIN = "bench-admin-token";
  private static final long TIMEOUT_SECONDS = 60;

  private PropagationBench() {}

  public static void main(String[] args) throws Exception {
    boolean quick = Arrays.asList(args).contains("--quick");
    int[] sizes = quick ? new int[] {1, 20} : new int[] {1, 100, 1000};
    int jvms = quick ? 2 : 4;
    int writes = quick ? 5 : 50;
    int warmup = quick ? 1 : 5;
    int maxWarmup = quick ? 1 : 200;
    int idleSeconds = quick ? 3 : 30;
    Path cacheDir = null;
    for (String a : args) {
      String v = a.substring(a.indexOf('=') + 1);
      if (a.startsWith("--clients=")) {
        sizes = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).sorted().toArray();
      } else if (a.startsWith("--client-jvms=")) {
        jvms = Integer.parseInt(v);
      } else if (a.startsWith("--writes=")) {
        writes = Integer.parseInt(v);
      } else if (a.startsWith("--warmup=")) {
        warmup = Integer.parseInt(v);
        maxWarmup = Math.max(maxWarmup, warmup);
      } else if (a.startsWith("--max-warmup=")) {
        maxWarmup = Integer.parseInt(v);
      } else if (a.startsWith("--cache-dir=")) {
        cacheDir = Path.of(v);
      } else if (a.startsWith("--idle-seconds=")) {
        idleSeconds = Integer.parseInt(v);
      } else if (!a.equals("--quick")) {
        throw new IllegalArgumentException("unknown option " + a);
      }
    }
    Path dir = Files.createTempDirectory("dynconfig-propagation");
    // The flag file alone in its directory: the server watches that directory, and the clients'
    // cache files and the logs changing beside it would cost the server events to sift through.
    Path file = Files.createDirectory(dir.resolve("server")).resolve("flags.json");
    Path caches =
        cacheDir == null
            ? dir.resolve("caches")
            : Files.createTempDirectory(cacheDir, "dynconfig-propagation");
    Files.writeString(
        file, "{\"version\": 1, \"flags\": [{\"key\": \"f\", \"defaultValue\": false}]}");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> serverCmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m"));
    serverCmd.addAll(extraJvmArgs("propagation.serverJvmArgs", "server"));
    serverCmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "dev.dynconfig.server.ServerMain",
            "--file=" + file,
            "--host=127.0.0.1",
            "--port=" + port,
            "--read-token=" + READ,
            "--admin-token=" + ADMIN));
    Process server =
        new ProcessBuilder(serverCmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    List<Fleet> fleets = new ArrayList<>();
    try {
      awaitPort(port);
      for (int j = 0; j < jvms; j++) {
        fleets.add(Fleet.start(j, port, dir, caches));
      }
      System.out.printf(
          "server pid %d on 127.0.0.1:%d; clients spread over %d client JVMs (-Xmx256m each);"
              + " per N: at least %d warm-up writes, more (up to %d) until no JIT compiler thread"
              + " of the server or a client JVM has used CPU for 3 writes in a row, then %d"
              + " measured writes%n",
          server.pid(), port, jvms, warmup, maxWarmup, writes);
      long baselineHeap = heapAfterGc(server.pid());
      System.out.println();
      System.out.println(
          "| N | client JVMs | warm-up writes | p50 ms | p99 ms | max ms"
              + " | all N ms (p50 / max over writes) | from request sent: p50 / p99 ms"
              + " | load (1 min) |");
      System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      AdminApi http = new AdminApi(port);
      String idle = null;
      List<String> cpuRows = new ArrayList<>();
      for (int n : sizes) {
        for (int j = 0; j < fleets.size(); j++) {
          fleets.get(j).grow(n / jvms + (j < n % jvms ? 1 : 0));
        }
        Row row = measure(http, server.pid(), fleets, n, warmup, maxWarmup, writes);
        System.out.println(row.latency());
        cpuRows.add(row.cpu());
        if (n == sizes[sizes.length - 1]) {
          idle = idleCost(server.pid(), n, baselineHeap, idleSeconds);
        }
      }
      System.out.println();
      System.out.println(
          "CPU per measured write, ms (user + system from /proc, 10 ms ticks summed over all"
              + " writes; server: network = its event loops, i.e. the fan-out and the HTTP;"
              + " clients: all client JVMs together, network = each JVM's one event loop, where"
              + " every engine parses, validates, compiles and swaps; cache = the offline-cache"
              + " writer; other = everything else, e.g. the file watcher):");
      System.out.println();
      System.out.println(
          "| N | server total | network | store | jit | gc | other"
              + " | clients total | network | cache | jit | gc | other | load (1 min) |");
      System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      cpuRows.forEach(System.out::println);
      System.out.println();
      System.out.println(idle);
      System.out.println();
      System.out.println(fleetStats(fleets));
    } finally {
      for (Fleet f : fleets) {
        f.quit();
      }
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
      deleteTree(caches); // up to 1,000 cache files per run; the logs stay in dir
    }
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      System.err.println("could not delete " + root + ": " + e);
    }
  }

  /** One N: the latency row, and where the CPU went (server and clients) per measured write. */
  private record Row(String latency, String cpu) {}

  /** Warm-up writes, then {@code writes} measured ones, each awaited by all N clients. */
  private static Row measure(
      AdminApi http,
      long serverPid,
      List<Fleet> fleets,
      int n,
      int warmup,
      int maxWarmup,
      int writes)
      throws Exception {
    List<Fleet> active = fleets.stream().filter(f -> f.size > 0).toList();
    long[] latencies = new long[n * writes];
    long[] fromSend = new long[n * writes];
    long[] allN = new long[writes];
    int k = 0;
    Map<String, Long> serverCpu0 = null;
    Map<String, Long> clientCpu0 = null;
    // Warm-up: the JIT compiles thousands of methods per JVM (Jackson, Netty, the engine) over the
    // first writes; a measured write should see the steady state of a long-running client.
    int warmed = 0;
    int quietWrites = 0;
    long jit = jitTicks(serverPid, active);
    while (warmed < maxWarmup && (warmed < warmup || quietWrites < 3)) {
      oneWrite(http, active, n);
      warmed++;
      long now = jitTicks(serverPid, active);
      quietWrites = now == jit ? quietWrites + 1 : 0;
      jit = now;
    }
    for (int w = 0; w < writes; w++) {
      if (w == 0) {
        serverCpu0 = ThreadCpu.sample(serverPid);
        clientCpu0 = clientCpu(active);
      }
      long[][] sample = oneWrite(http, active, n);
      long last = Long.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        latencies[k] = sample[0][i];
        fromSend[k++] = sample[1][i];
        last = Math.max(last, sample[0][i]);
      }
      allN[w] = last;
    }
    String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    Map<String, Long> serverCpu = minus(ThreadCpu.sample(serverPid), serverCpu0);
    Map<String, Long> clientCpu = minus(clientCpu(active), clientCpu0);
    Latencies lat = new Latencies(latencies, k);
    Latencies send = new Latencies(fromSend, k);
    Latencies all = new Latencies(allN, writes);
    String latency =
        String.format(
            Locale.ROOT,
            "| %,d | %d | %d | %s | %s | %s | %s / %s | %s / %s | %s |",
            n,
            active.size(),
            warmed,
            ms(lat.percentile(50)),
            ms(lat.percentile(99)),
            ms(lat.max()),
            ms(all.percentile(50)),
            ms(all.max()),
            ms(send.percentile(50)),
            ms(send.percentile(99)),
            load);
    // Ticks are 10 ms: per write = ticks * 10 / writes.
    StringBuilder cpu = new StringBuilder(String.format(Locale.ROOT, "| %,d ", n));
    for (Map<String, Long> m : List.of(serverCpu, clientCpu)) {
      long total = m.values().stream().mapToLong(Long::longValue).sum();
      cpu.append(String.format(Locale.ROOT, "| **%.1f** ", total * 10.0 / writes));
      for (String kind : ThreadCpu.KINDS) {
        if (m == serverCpu && kind.equals("cache") || m == clientCpu && kind.equals("store")) {
          continue; // no such thread there
        }
        cpu.append(String.format(Locale.ROOT, "| %.1f ", m.get(kind) * 10.0 / writes));
      }
    }
    cpu.append(String.format(Locale.ROOT, "| %s |", load));
    return new Row(latency, cpu.toString());
  }

  /**
   * One admin write, awaited by every client; returns each client's swap time in microseconds after
   * the write's response ({@code [0]}) and after its request was sent ({@code [1]}).
   */
  private static long[][] oneWrite(AdminApi http, List<Fleet> active, int n) throws Exception {
    long expected = http.version + 1;
    for (Fleet f : active) {
      f.send("ARM " + expected);
    }
    for (Fleet f : active) {
      f.expect("ARMED " + expected);
    }
    long sent = EpochClock.micros();
    http.put(expected % 2 == 0);
    long acked = EpochClock.micros();
    if (http.version != expected) {
      throw new IllegalStateException(
          "the write made version " + http.version + ", expected " + expected);
    }
    long[][] out = new long[2][n];
    int k = 0;
    for (Fleet f : active) {
      String[] done = f.expect("DONE " + expected + " ").split(" ");
      if (done.length != 2 + f.size) {
        throw new IllegalStateException("client JVM " + f.id + " reported " + done.length);
      }
      for (int i = 2; i < done.length; i++) {
        long t = Long.parseLong(done[i]);
        out[0][k] = t - acked;
        out[1][k++] = t - sent;
      }
    }
    Thread.sleep(50); // let the server and clients settle between writes
    return out;
  }

  /** CPU ticks of the JIT compiler threads of the server and the client JVMs so far. */
  private static long jitTicks(long serverPid, List<Fleet> active) throws IOException {
    long t = ThreadCpu.sample(serverPid).get("jit");
    for (Fleet f : active) {
      t += ThreadCpu.sample(f.process.pid()).get("jit");
    }
    return t;
  }

  private static Map<String, Long> clientCpu(List<Fleet> fleets) throws IOException {
    Map<String, Long> sum = new LinkedHashMap<>();
    for (Fleet f : fleets) {
      ThreadCpu.sample(f.process.pid()).forEach((kind, t) -> sum.merge(kind, t, Long::sum));
    }
    return sum;
  }

  private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> d = new LinkedHashMap<>();
    after.forEach((kind, t) -> d.put(kind, Math.max(0, t - before.getOrDefault(kind, 0L))));
    return d;
  }

  private static String fleetStats(List<Fleet> fleets) throws Exception {
    StringBuilder sb = new StringBuilder("client JVMs at the end (clients / threads / heap used):");
    for (Fleet f : fleets) {
      long[] s = f.stats();
      sb.append(
          String.format(Locale.ROOT, " [%,d / %d / %.0f MiB]", f.size, s[0], s[2] / 1048576.0));
    }
    return sb.toString();
  }

  /** The admin API, from this JVM (the JDK's HTTP client, one keep-alive connection). */
  private static final class AdminApi {
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*(\\d+)");
    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;
    long version;

    AdminApi(int port) throws Exception {
      this.base = "http://127.0.0.1:" + port;
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/flags"))
                  .header("Authorization", "Bearer " + READ)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      version = Long.parseLong(r.headers().firstValue("ETag").orElseThrow().replace("\"", ""));
    }

    void put(boolean value) throws Exception {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/admin/flags/f"))
                  .header("Authorization", "Bearer " + ADMIN)
                  .PUT(HttpRequest.BodyPublishers.ofString("{\"defaultValue\": " + value + "}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher v = VERSION.matcher(r.body());
      if (r.statusCode() != 200 || !v.find()) {
        throw new IllegalStateException("admin write failed: " + r.statusCode() + " " + r.body());
      }
      version = Long.parseLong(v.group(1));
    }
  }

  /** One {@link ClientFleet} JVM, driven over its stdin/stdout. */
  private static final class Fleet {
    final int id;
    final Process process;
    final OutputStreamWriter in;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    int size;

    private Fleet(int id, Process process) {
      this.id = id;
      this.process = process;
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // the JVM ended; expect() reports it
                }
              },
              "fleet-" + id);
      reader.setDaemon(true);
      reader.start();
    }

    static Fleet start(int id, int port, Path dir, Path caches) throws IOException {
      List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx256m"));
      cmd.addAll(extraJvmArgs("propagation.clientJvmArgs", "fleet-" + id));
      cmd.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              ClientFleet.class.getName(),
              "ws://127.0.0.1:" + port + "/v1/stream",
              READ,
              caches.resolve("fleet-" + id).toString()));
      Process p =
          new ProcessBuilder(cmd)
              .redirectError(dir.resolve("fleet-" + id + ".log").toFile())
              .start();
      return new Fleet(id, p);
    }

    void send(String command) throws IOException {
      in.write(command + "\n");
      in.flush();
    }

    /** The next line, which must start with {@code prefix}. */
    String expect(String prefix) throws Exception {
      String line = lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (line == null || !line.startsWith(prefix)) {
        throw new IllegalStateException(
            "client JVM "
                + id
                + (line == null
                    ? " sent nothing within " + TIMEOUT_SECONDS + " s"
                    : " sent '" + line.substring(0, Math.min(80, line.length())) + "'")
                + " while '"
                + prefix.trim()
                + "' was expected"
                + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
      }
      return line;
    }

    void grow(int n) throws Exception {
      if (n > size) {
        send("GROW " + n);
        expect("READY " + n);
        size = n;
      }
    }

    long[] stats() throws Exception {
      send("STATS");
      return Arrays.stream(expect("STATS ").substring(6).split(" "))
          .mapToLong(Long::parseLong)
          .toArray();
    }

    void quit() {
      try {
        send("QUIT");
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroy();
        }
      } catch (IOException | InterruptedException e) {
        process.destroy();
      }
    }
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
    return m.find() ? Long.parseLong(m.group(2)) * 1024 : 0; // G1: one line for the whole heap
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
  }

  /**
   * Extra JVM options for the server or the client JVMs, for diagnosis (e.g. {@code
   * -Dpropagation.serverJvmArgs=-XX:StartFlightRecording=filename=/tmp/%s.jfr}): space-separated,
   * {@code %s} replaced by the JVM's name ({@code server}, {@code fleet-0}, ...).
   */
  private static List<String> extraJvmArgs(String property, String name) {
    String v = System.getProperty(property, "").trim();
    return v.isEmpty() ? List.of() : List.of(v.replace("%s", name).split("\\s+"));
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
