package dev.dynconfig.agent.internal;

import dev.dynconfig.internal.insight.AnonymousCalls;
import dev.dynconfig.internal.insight.FleetReports;
import dev.dynconfig.internal.insight.LatencyBuckets;
import dev.dynconfig.internal.insight.UnknownKeys;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The agent's part of a fleet report (server/PROTOCOL.md): who this JVM is, its sites, unknown
 * keys, anonymous calls and the exposures counted since the last report the server received. Called
 * on the client's network thread once per report interval; never on the hot path.
 */
final class FleetReportSource implements FleetReports.Source {
  /** The server refuses reports with more sites (PROTOCOL.md). */
  static final int MAX_SITES = 10_000;

  private final SiteRegistry sites;
  // Made at the first report, not at start: UUID.randomUUID() loads and seeds SecureRandom (~60
  // classes), which nothing on the application's start-up path needs.
  private String instance;
  private final String app;
  private final String agentVersion;
  private String host;

  /** Cumulative counts per "kind key variant" at the last report the server received. */
  private Map<String, long[]> baseline = new HashMap<>();

  FleetReportSource(SiteRegistry sites, String app, String agentVersion) {
    this.sites = sites;
    this.app = app != null ? app : defaultApp();
    this.agentVersion = agentVersion;
  }

  /** The main class, or the jar's file name, as the JVM was started. */
  static String defaultApp() {
    String command = System.getProperty("sun.java.command", "").trim();
    if (command.isEmpty()) {
      return "unknown";
    }
    String first = command.split(" ", 2)[0];
    return first.endsWith(".jar") ? Path.of(first).getFileName().toString() : first;
  }

  @Override
  public synchronized FleetReports.Report next() {
    if (host == null) {
      host = hostName();
      instance = UUID.randomUUID().toString();
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("instance", instance);
    fields.put("app", app);
    fields.put("host", host);
    fields.put("pid", ProcessHandle.current().pid());
    fields.put("agentVersion", agentVersion);
    List<Map<String, Object>> siteList = new ArrayList<>();
    Map<String, long[]> totals = new TreeMap<>(); // key -> count, errors, latency buckets...
    for (Site site : sites.all()) {
      if (siteList.size() < MAX_SITES) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", kind(site));
        s.put("key", SiteInsight.key(site));
        s.put("method", site.display);
        siteList.add(s);
      }
      if (site instanceof Site.VariantSite v) {
        ExposureCounters.Totals t = v.exposures.totals();
        for (int slot = 0; slot <= v.siblingIds.length; slot++) {
          String variant = slot < v.siblingIds.length ? v.siblingIds[slot] : v.controlId;
          add(totals, "test " + v.test + " " + variant, t, slot);
        }
      } else if (site instanceof Site.ToggleSite tg) {
        ExposureCounters.Totals t = tg.exposures.totals();
        add(totals, "flag " + tg.flag + " false", t, 0);
        add(totals, "flag " + tg.flag + " true", t, 1);
      }
    }
    fields.put("sites", siteList);
    fields.put("unknownKeys", UnknownKeys.snapshot());
    fields.put("anonymous", AnonymousCalls.snapshot());
    List<Map<String, Object>> exposures = new ArrayList<>();
    totals.forEach(
        (key, now) -> {
          long[] before = baseline.getOrDefault(key, new long[now.length]);
          if (now[0] == before[0] && now[1] == before[1]) {
            return;
          }
          String[] p = key.split(" ", 3);
          Map<String, Object> x = new LinkedHashMap<>();
          x.put("kind", p[0]);
          x.put("key", p[1]);
          x.put("variant", p[2]);
          x.put("count", now[0] - before[0]);
          x.put("errors", now[1] - before[1]);
          Map<String, Long> latency = new TreeMap<>();
          for (int i = 2; i < now.length; i++) {
            long d = now[i] - (i < before.length ? before[i] : 0);
            if (d > 0) {
              latency.put(String.valueOf(i - 2), d);
            }
          }
          if (!latency.isEmpty()) {
            x.put("latency", latency);
          }
          exposures.add(x);
        });
    fields.put("exposures", exposures);
    return new FleetReports.Report() {
      @Override
      public Map<String, Object> fields() {
        return fields;
      }

      @Override
      public void sent() {
        synchronized (FleetReportSource.this) {
          baseline = totals;
        }
      }
    };
  }

  private static void add(
      Map<String, long[]> totals, String key, ExposureCounters.Totals t, int slot) {
    long[] latency = t.latency()[slot];
    long[] sum = totals.computeIfAbsent(key, k -> new long[2 + LatencyBuckets.COUNT]);
    sum[0] += t.counts()[slot];
    sum[1] += t.errors()[slot];
    for (int i = 0; i < latency.length; i++) {
      sum[2 + i] += latency[i];
    }
  }

  private static String kind(Site site) {
    return switch (SiteInsight.kind(site)) {
      case FLAG -> "flag";
      case TEST -> "test";
      case CONFIG -> "config";
    };
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
