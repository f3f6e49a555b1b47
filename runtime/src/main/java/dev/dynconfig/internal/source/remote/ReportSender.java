package dev.dynconfig.internal.source.remote;

import dev.dynconfig.internal.insight.FleetReports;
import dev.dynconfig.internal.json.Json;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code report} messages (server/PROTOCOL.md) for one client: right away when started, then
 * every {@link FleetReports#interval()} ± 20 % (so a fleet restarted at once does not report in
 * step). A server that does not know reports (an older one) makes the client {@linkplain #refuse()
 * stop} for the life of the source. Event-loop confined.
 */
final class ReportSender {
  private static final Logger log = LoggerFactory.getLogger(ReportSender.class);
  private static final Duration NO_SOURCE_RETRY = Duration.ofSeconds(1);

  /** How a report reaches the server: completes true when delivered, false when not. */
  interface Transport {
    CompletableFuture<Boolean> send(byte[] message);
  }

  private final EventLoop loop;
  private final LongSupplier version;
  private final Supplier<String> state;
  private final String server;
  private Transport transport;
  private ScheduledFuture<?> timer;
  private boolean refused;
  private long generation;

  ReportSender(EventLoop loop, LongSupplier version, Supplier<String> state, String server) {
    this.loop = loop;
    this.version = version;
    this.state = state;
    this.server = server;
  }

  /** Starts reporting over {@code transport} (replacing any previous one). */
  void start(Transport newTransport) {
    stop();
    transport = newTransport;
    schedule(Duration.ZERO);
  }

  void stop() {
    generation++;
    transport = null;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** The server does not accept reports: never send one again from this source. */
  void refuse() {
    if (!refused) {
      refused = true;
      log.info("{} does not accept fleet reports (an older server); not sending them", server);
    }
    stop();
  }

  boolean refused() {
    return refused;
  }

  private void schedule(Duration delay) {
    long g = generation;
    timer = loop.schedule(() -> tick(g), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick(long g) {
    if (g != generation || refused || transport == null) {
      return;
    }
    FleetReports.Source source = FleetReports.source();
    if (source == null) {
      schedule(NO_SOURCE_RETRY); // the agent installs it once its engine runs
      return;
    }
    FleetReports.Report report;
    byte[] message;
    try {
      report = source.next();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "report");
      m.putAll(report.fields());
      m.put("version", version.getAsLong());
      m.put("state", state.get());
      m.put("reportIntervalMs", FleetReports.interval().toMillis());
      message = Json.write(m).getBytes(StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      log.warn("could not build the fleet report: {}", e.toString());
      schedule(jittered());
      return;
    }
    transport
        .send(message)
        .whenComplete(
            (delivered, failure) ->
                loop.execute(
                    () -> {
                      if (Boolean.TRUE.equals(delivered)) {
                        report.sent();
                      }
                      if (g == generation && !refused) {
                        schedule(jittered());
                      }
                    }));
  }

  private static Duration jittered() {
    long ms = FleetReports.interval().toMillis();
    return Duration.ofMillis((long) (ms * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
  }
}
