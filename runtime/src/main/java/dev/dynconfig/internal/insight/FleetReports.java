package dev.dynconfig.internal.insight;

import java.time.Duration;
import java.util.Map;

/**
 * Where the clients of a dynconfig server ({@code WebSocketSource}, {@code HttpPollingSource}) get
 * the content of their {@code report} messages (server/PROTOCOL.md): the agent installs a {@link
 * Source} describing its sites and counters; without one (the engine used as a library) no report
 * is sent. JVM-wide, like the agent's rewriting.
 */
public final class FleetReports {
  private static volatile Source source;
  private static volatile Duration interval = Duration.ofSeconds(30);

  private FleetReports() {}

  /** What goes into each report besides what the client itself knows. */
  public interface Source {
    /**
     * The next report's fields (JSON-compatible maps, lists, strings and numbers): instance, app,
     * host, pid, agentVersion, sites, unknownKeys, anonymous, exposures (counts since the last
     * {@linkplain Report#sent() sent} report).
     */
    Report next();
  }

  /** One report's content; {@link #sent} once the server has it, so its counts are not resent. */
  public interface Report {
    Map<String, Object> fields();

    void sent();
  }

  /** Installs the agent's source and the report interval. */
  public static void install(Source newSource, Duration reportInterval) {
    interval = reportInterval;
    source = newSource;
  }

  /** The installed source, or null. */
  public static Source source() {
    return source;
  }

  /** The configured interval between two reports (before jitter). */
  public static Duration interval() {
    return interval;
  }
}
