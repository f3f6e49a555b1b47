package dev.dynconfig.bench.propagation;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.Fallback;
import dev.dynconfig.SourceKind;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client JVM of the propagation benchmark: a share of the N clients, each a {@link
 * DynamicConfig} engine with its own WebSocket connection, exactly as an application would create
 * it (all engines of one JVM share the runtime's one network thread, as they would in one
 * application).
 *
 * <p>Driven by {@link PropagationBench} over stdin/stdout, one line per message:
 *
 * <pre>
 * GROW n   connect engines until this JVM has n              -> READY n
 * ARM v    reset; from now on record each engine's first swap to version >= v  -> ARMED v
 *          (when every engine has swapped)                   -> DONE v t1 t2 ... tn
 * STATS                                                      -> STATS threads cpuNanos heapUsed
 * QUIT     close the engines and exit
 * </pre>
 *
 * The {@code t}s are {@link EpochClock} microseconds taken in each engine's snapshot-swap listener,
 * the moment the new snapshot is in place; they are sent after the fact, so reporting them adds
 * nothing to the latency measured. Everything else (logs) goes to stderr.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.dynconfig.bench.propagation.ClientFleet <ws-url>
 * <read-token> <cache-dir>}
 */
public final class ClientFleet {
  private final URI url;
  private final String token;
  private final Path cacheDir;
  private final PrintStream out;
  private final List<Client> clients = new ArrayList<>();
  private final AtomicInteger arrived = new AtomicInteger();
  private volatile long target = Long.MAX_VALUE;
  private volatile int expected;

  private ClientFleet(URI url, String token, Path cacheDir, PrintStream out) {
    this.url = url;
    this.token = token;
    this.cacheDir = cacheDir;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    // Hundreds of engines each log every applied document at INFO: keep stderr readable.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    // stdout is the protocol: nothing else may write to it.
    PrintStream protocol =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    Path cacheDir = Path.of(args[2]);
    Files.createDirectories(cacheDir);
    new ClientFleet(URI.create(args[0]), args[1], cacheDir, protocol).run();
  }

  private void run() throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] cmd = line.trim().split(" ");
      switch (cmd[0]) {
        case "GROW" -> {
          int n = Integer.parseInt(cmd[1]);
          target = Long.MAX_VALUE; // a new engine's first document is not a measured swap
          while (clients.size() < n) {
            clients.add(connect(clients.size()));
          }
          out.println("READY " + clients.size());
        }
        case "ARM" -> {
          long v = Long.parseLong(cmd[1]);
          target = Long.MAX_VALUE;
          for (Client c : clients) {
            c.arrival.set(0);
          }
          arrived.set(0);
          expected = clients.size();
          target = v; // last: the listeners read it first
          out.println("ARMED " + v);
        }
        case "STATS" -> {
          var os =
              (com.sun.management.OperatingSystemMXBean)
                  ManagementFactory.getOperatingSystemMXBean();
          out.println(
              "STATS "
                  + ManagementFactory.getThreadMXBean().getThreadCount()
                  + " "
                  + os.getProcessCpuTime()
                  + " "
                  + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        case "QUIT" -> {
          for (Client c : clients) {
            c.engine.close();
          }
          return;
        }
        default -> System.err.println("ClientFleet: unknown command '" + line + "'");
      }
    }
  }

  private Client connect(int index) {
    DynamicConfig engine =
        DynamicConfig.create(
            DynamicConfigOptions.builder()
                .source(SourceKind.WEBSOCKET)
                .url(url)
                .token(token)
                .cacheFile(cacheDir.resolve("cache-" + index + ".json"))
                .fallback(Fallback.DEFAULT)
                .initTimeout(Duration.ofSeconds(30))
                .registerJmx(false)
                .build());
    Client c = new Client(engine);
    engine.introspection().subscribeToSnapshots(info -> swapped(c, info.version()));
    engine.initialize();
    return c;
  }

  /** In the engine's snapshot-swap listener (the runtime's network thread). */
  private void swapped(Client c, long version) {
    if (version < target) {
      return;
    }
    long now = EpochClock.micros();
    if (c.arrival.compareAndSet(0, now) && arrived.incrementAndGet() == expected) {
      StringBuilder sb = new StringBuilder(16 * clients.size()).append("DONE ").append(target);
      for (Client each : clients) {
        sb.append(' ').append(each.arrival.get());
      }
      out.println(sb);
    }
  }

  private static final class Client {
    final DynamicConfig engine;
    final AtomicLong arrival = new AtomicLong();

    Client(DynamicConfig engine) {
      this.engine = engine;
    }
  }
}
