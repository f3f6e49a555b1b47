package dev.dynconfig.store.postgresql;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.Fallback;
import dev.dynconfig.RetryOptions;
import dev.dynconfig.internal.source.SourceSink;
import dev.dynconfig.internal.source.remote.RemoteSettings;
import dev.dynconfig.internal.source.remote.WebSocketSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A client JVM of the chaos test: {@code n} real engines, each fed by its own WebSocket source
 * given all servers (rotated, so the clients spread over them). Every version an engine applies is
 * recorded with the time and the server it came from. On each stdin line {@code report} it writes
 * one line per engine to the report file and prints {@code reported}; stdin closed = exit.
 *
 * <p>Report line: {@code index currentVersion regressions time:version:server,…} (server: its index
 * when the version came over the WebSocket, 100 + index when from the polling fallback).
 */
public final class ChaosClients {
  private ChaosClients() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    List<URI> servers = Arrays.stream(args[1].split("\\|")).map(URI::create).toList();
    Path report = Path.of(args[2]);
    int offset = Integer.parseInt(args[3]);
    String token = System.getenv("DYNCONFIG_TOKEN");
    List<Recorder> clients = new ArrayList<>();
    List<AutoCloseable> open = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<URI> rotated = new ArrayList<>(servers);
      java.util.Collections.rotate(rotated, -(offset + i));
      DynamicConfig engine =
          DynamicConfig.create(DynamicConfigOptions.builder().fallback(Fallback.DEFAULT).build());
      engine.initialize();
      Recorder r = new Recorder(engine.sink(), servers);
      WebSocketSource source =
          new WebSocketSource(
              RemoteSettings.of(rotated.get(0), token)
                  .withRetry(new RetryOptions(3, Duration.ofMillis(50), Duration.ofMillis(500)))
                  .withPollingInterval(Duration.ofSeconds(2))
                  .withReadIdleTimeout(Duration.ofSeconds(5)),
              rotated);
      source.start(r);
      clients.add(r);
      open.add(source);
      open.add(engine);
    }
    System.out.println("ready");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("report")) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
          lines.add((offset + i) + " " + clients.get(i).line());
        }
        Path tmp = report.resolveSibling(report.getFileName() + ".tmp");
        Files.write(tmp, lines);
        Files.move(tmp, report, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("reported");
        System.out.flush();
      }
    }
    for (AutoCloseable c : open) {
      c.close();
    }
    System.exit(0);
  }

  /** Delegates to the engine and records what it applied, and any version that went down. */
  static final class Recorder implements SourceSink {
    private final SourceSink engine;
    private final List<URI> servers;
    private final StringBuilder events = new StringBuilder();
    private long highest = -1;
    private int regressions;

    Recorder(SourceSink engine, List<URI> servers) {
      this.engine = engine;
      this.servers = servers;
    }

    @Override
    public synchronized OfferResult offer(byte[] content, long version, String origin) {
      long before = engine.currentVersion();
      OfferResult r = engine.offer(content, version, origin);
      long after = engine.currentVersion();
      if (after < before || (r == OfferResult.APPLIED && version <= highest)) {
        regressions++;
      }
      if (r == OfferResult.APPLIED) {
        highest = Math.max(highest, version);
        if (events.length() > 0) {
          events.append(',');
        }
        events
            .append(System.currentTimeMillis())
            .append(':')
            .append(version)
            .append(':')
            .append(serverOf(origin));
      }
      return r;
    }

    /** The server's index for the WebSocket, 100 + index for the polling fallback, else -1. */
    private int serverOf(String origin) {
      for (int i = 0; i < servers.size(); i++) {
        if (origin.contains(":" + servers.get(i).getPort() + "/")) {
          return origin.startsWith("ws") ? i : 100 + i;
        }
      }
      return -1;
    }

    @Override
    public void status(ConnectionStatus status, String error) {
      engine.status(status, error);
    }

    @Override
    public long currentVersion() {
      return engine.currentVersion();
    }

    synchronized String line() {
      return engine.currentVersion()
          + " "
          + regressions
          + " "
          + (events.length() == 0 ? "-" : events);
    }
  }
}
