package dev.dynconfig.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynconfig.internal.insight.ClosestKey;
import dev.dynconfig.internal.insight.LatencyBuckets;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fleet as its clients report it ({@code report} messages, PROTOCOL.md): the last report of
 * every instance, kept in memory and forgotten after three of its report intervals of silence, and
 * the view {@code GET /v1/admin/fleet} serves, with its findings. Exposure counts arrive as deltas
 * since the instance's previous report and are summed per instance. Time comes from an injected
 * clock. Thread-safe (one lock; reports are small and rare).
 */
final class FleetRegistry {
  static final int MAX_REPORT_BYTES = 256 * 1024;
  static final int MAX_SITES = 10_000;
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  static final Duration UNUSED_AFTER = Duration.ofHours(24);
  static final Duration LAGGING_AFTER = Duration.ofMinutes(1);
  private static final int MAX_TEXT = 1024;
  private static final int MAX_VERSIONS = 1024;
  static final int MAX_INSTANCES = 10_000;

  private final Clock clock;
  private final Duration staleAfter;
  private final Instant startedAt;
  private final Map<String, Instance> instances = new LinkedHashMap<>();
  private final Map<String, Instant> keyLastUsed = new HashMap<>(); // "kind key" -> last report
  private final Map<String, String> definitions = new HashMap<>(); // "kind key" -> JSON
  private final Map<String, Instant> definitionChangedAt = new HashMap<>();
  private final TreeMap<Long, Instant> publishedAt = new TreeMap<>();
  private JsonNode document;
  private long version = -1;

  FleetRegistry(Clock clock, Duration staleAfter) {
    this.clock = clock;
    this.staleAfter = staleAfter;
    this.startedAt = clock.instant();
  }

  /** A report refused: {@code tooLarge} → 1009 / 413, otherwise malformed → 1007 / 400. */
  static final class RejectedReport extends Exception {
    final boolean tooLarge;

    RejectedReport(String message, boolean tooLarge) {
      super(message);
      this.tooLarge = tooLarge;
    }
  }

  /** Called with every published document version (and the one served at start). */
  synchronized void observe(Snapshot s) {
    Instant now = clock.instant();
    if (s.version() > version) {
      publishedAt.put(s.version(), now);
      while (publishedAt.size() > MAX_VERSIONS) {
        publishedAt.pollFirstEntry();
      }
    }
    version = s.version();
    document = s.tree();
    Map<String, String> current = definitionsOf(s.tree());
    for (Map.Entry<String, String> e : current.entrySet()) {
      if (!e.getValue().equals(definitions.get(e.getKey()))) {
        definitionChangedAt.put(e.getKey(), definitions.isEmpty() ? startedAt : now);
      }
    }
    definitionChangedAt.keySet().retainAll(current.keySet());
    definitions.clear();
    definitions.putAll(current);
  }

  /** Validates and stores one report (the JSON text of a {@code report} message). */
  void accept(byte[] json, String peer) throws RejectedReport {
    if (json.length > MAX_REPORT_BYTES) {
      throw new RejectedReport(
          "report of " + json.length + " bytes is over the limit of " + MAX_REPORT_BYTES, true);
    }
    JsonNode r;
    try {
      r = FlagStore.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new RejectedReport(
          "report is not JSON: " + e.getMessage().lines().findFirst().orElse(""), false);
    }
    if (r == null || !r.isObject() || !"report".equals(r.path("type").asText())) {
      throw new RejectedReport("report is not an object with \"type\": \"report\"", false);
    }
    String id = text(r, "instance", true);
    JsonNode sites = r.path("sites");
    if (!sites.isMissingNode() && !sites.isArray()) {
      throw new RejectedReport("report.sites is not an array", false);
    }
    if (sites.size() > MAX_SITES) {
      throw new RejectedReport(
          "report.sites has " + sites.size() + " entries, over the limit of " + MAX_SITES, true);
    }
    Instance in = new Instance();
    in.id = id;
    in.app = text(r, "app", false);
    in.host = text(r, "host", false);
    in.pid = r.path("pid").asLong(-1);
    in.agentVersion = text(r, "agentVersion", false);
    in.version = r.path("version").asLong(-1);
    in.state = text(r, "state", false);
    long intervalMs = r.path("reportIntervalMs").asLong(DEFAULT_INTERVAL.toMillis());
    in.interval =
        Duration.ofMillis(Math.max(100, Math.min(intervalMs, Duration.ofHours(1).toMillis())));
    in.peer = peer;
    for (JsonNode s : sites) {
      in.sites.add(
          new String[] {text(s, "kind", true), text(s, "key", true), text(s, "method", true)});
    }
    JsonNode unknown = r.path("unknownKeys");
    for (Iterator<Map.Entry<String, JsonNode>> it = unknown.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      List<String> methods = new ArrayList<>();
      for (JsonNode m : e.getValue()) {
        methods.add(bounded(m.asText()));
      }
      in.unknownKeys.put(bounded(e.getKey()), methods);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = r.path("anonymous").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      in.anonymous.put(bounded(e.getKey()), e.getValue().asLong());
    }
    JsonNode exposures = r.path("exposures");
    if (!exposures.isMissingNode() && !exposures.isArray()) {
      throw new RejectedReport("report.exposures is not an array", false);
    }
    if (exposures.size() > MAX_SITES) {
      throw new RejectedReport("report.exposures has over " + MAX_SITES + " entries", true);
    }
    synchronized (this) {
      if (!instances.containsKey(id) && instances.size() >= MAX_INSTANCES) {
        expire();
        if (instances.size() >= MAX_INSTANCES) {
          throw new RejectedReport("the fleet view holds " + MAX_INSTANCES + " instances", true);
        }
      }
      Instance previous = instances.remove(id);
      if (previous != null) {
        in.exposures.putAll(previous.exposures);
      }
      for (JsonNode x : exposures) {
        String key =
            text(x, "kind", true) + " " + text(x, "key", true) + " " + text(x, "variant", true);
        Totals t = in.exposures.computeIfAbsent(key, k -> new Totals());
        t.count += Math.max(0, x.path("count").asLong());
        t.errors += Math.max(0, x.path("errors").asLong());
        for (Iterator<Map.Entry<String, JsonNode>> it = x.path("latency").fields();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> b = it.next();
          int i;
          try {
            i = Integer.parseInt(b.getKey());
          } catch (NumberFormatException e) {
            throw new RejectedReport(
                "exposures[].latency key '" + b.getKey() + "' is not a bucket", false);
          }
          if (i >= 0 && i < LatencyBuckets.COUNT) {
            t.latency[i] += Math.max(0, b.getValue().asLong());
          }
        }
      }
      Instant now = clock.instant();
      in.lastSeen = now;
      instances.put(id, in);
      for (String[] s : in.sites) {
        keyLastUsed.put(s[0] + " " + s[1], now);
      }
    }
  }

  private static String text(JsonNode n, String field, boolean required) throws RejectedReport {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new RejectedReport("report: \"" + field + "\" is missing", false);
      }
      return null;
    }
    if (!v.isTextual() || (required && v.asText().isEmpty())) {
      throw new RejectedReport("report: \"" + field + "\" is not a non-empty string", false);
    }
    if (v.asText().length() > MAX_TEXT) {
      throw new RejectedReport(
          "report: \"" + field + "\" is over " + MAX_TEXT + " characters", true);
    }
    return v.asText();
  }

  private static String bounded(String s) {
    return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
  }

  /** Forgets instances silent for three of their report intervals. */
  synchronized void expire() {
    Instant now = clock.instant();
    instances.values().removeIf(i -> i.lastSeen.plus(i.interval.multipliedBy(3)).isBefore(now));
  }

  synchronized int size() {
    return instances.size();
  }

  /** The {@code GET /v1/admin/fleet} body. */
  synchronized ObjectNode view() {
    expire();
    Instant now = clock.instant();
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode out = f.objectNode();
    out.put("version", version);
    out.put("now", now.toString());
    ArrayNode list = out.putArray("instances");
    for (Instance i : instances.values()) {
      ObjectNode o = list.addObject();
      o.put("instance", i.id);
      o.put("app", i.app);
      o.put("host", i.host);
      o.put("pid", i.pid);
      o.put("agentVersion", i.agentVersion);
      o.put("version", i.version);
      o.put("lag", i.version < 0 ? version : Math.max(0, version - i.version));
      o.put("lastSeen", i.lastSeen.toString());
      o.put("state", i.state);
      o.put("sites", i.sites.size());
      ObjectNode anonymous = o.putObject("anonymousCalls");
      i.anonymous.forEach(anonymous::put);
    }
    Map<String, ObjectNode> keys = new TreeMap<>();
    for (Instance i : instances.values()) {
      for (String[] s : i.sites) {
        ObjectNode k = keyNode(keys, s[0], s[1]);
        addUnique((ArrayNode) k.get("apps"), i.app);
        addUnique((ArrayNode) k.get("methods"), s[2]);
      }
      for (String unknownKey : i.unknownKeys.keySet()) {
        for (String kind : List.of("flag", "test", "config")) {
          ObjectNode k = keys.get(kind + " " + unknownKey);
          if (k != null) {
            addUnique((ArrayNode) k.get("unknownIn"), i.id);
          }
        }
      }
    }
    ArrayNode keyList = out.putArray("keys");
    keys.values().forEach(keyList::add);

    Map<String, Totals> sums = new TreeMap<>();
    for (Instance i : instances.values()) {
      i.exposures.forEach((k, t) -> sums.computeIfAbsent(k, x -> new Totals()).add(t));
    }
    Map<String, ArrayNode> tests = new TreeMap<>();
    Map<String, ObjectNode> flagExposures = new TreeMap<>();
    sums.forEach(
        (k, t) -> {
          String[] p = k.split(" ", 3);
          if (p[0].equals("test")) {
            ObjectNode v = tests.computeIfAbsent(p[1], x -> f.arrayNode()).addObject();
            v.put("variant", p[2]);
            v.put("exposures", t.count);
            v.put("errors", t.errors);
            v.put("errorRate", t.count == 0 ? 0.0 : (double) t.errors / t.count);
            long p50 = LatencyBuckets.percentileNanos(t.latency, 0.5);
            long p99 = LatencyBuckets.percentileNanos(t.latency, 0.99);
            if (p50 >= 0) {
              v.put("p50Ms", p50 / 1e6);
              v.put("p99Ms", p99 / 1e6);
            }
          } else {
            flagExposures.computeIfAbsent(p[1], x -> f.objectNode()).put(p[2], t.count);
          }
        });
    ObjectNode testsNode = out.putObject("tests");
    tests.forEach(testsNode::set);
    ObjectNode flagsNode = out.putObject("flagExposures");
    flagExposures.forEach(flagsNode::set);
    out.set("findings", findings(now));
    return out;
  }

  private static ObjectNode keyNode(Map<String, ObjectNode> keys, String kind, String key) {
    return keys.computeIfAbsent(
        kind + " " + key,
        k -> {
          ObjectNode n = JsonNodeFactory.instance.objectNode();
          n.put("kind", kind);
          n.put("key", key);
          n.putArray("apps");
          n.putArray("methods");
          n.putArray("unknownIn");
          return n;
        });
  }

  private static void addUnique(ArrayNode a, String value) {
    if (value == null) {
      return;
    }
    for (JsonNode n : a) {
      if (n.asText().equals(value)) {
        return;
      }
    }
    a.add(value);
  }

  private ArrayNode findings(Instant now) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    Map<String, Set<String>> known = knownKeys();
    Map<String, Set<String>> unknownBy = new TreeMap<>();
    Map<String, Set<String>> unknownMethods = new TreeMap<>();
    for (Instance i : instances.values()) {
      i.unknownKeys.forEach(
          (key, methods) -> {
            unknownBy.computeIfAbsent(key, k -> new TreeSet<>()).add(i.id);
            unknownMethods.computeIfAbsent(key, k -> new TreeSet<>()).addAll(methods);
          });
    }
    unknownBy.forEach(
        (key, ids) -> {
          ObjectNode n = out.addObject();
          n.put("type", "unknown-key");
          n.put("key", key);
          Set<String> all = new TreeSet<>();
          known.values().forEach(all::addAll);
          String closest = ClosestKey.find(key, all);
          if (closest != null) {
            n.put("closest", closest);
          }
          ids.forEach(n.putArray("instances")::add);
          unknownMethods.get(key).forEach(n.putArray("methods")::add);
        });
    if (!startedAt.plus(UNUSED_AFTER).isAfter(now)) {
      for (String kind : List.of("flag", "test")) {
        for (String key : known.get(kind)) {
          Instant used = keyLastUsed.get(kind + " " + key);
          if (used == null || used.plus(UNUSED_AFTER).isBefore(now)) {
            ObjectNode n = out.addObject();
            n.put("type", "unused");
            n.put("kind", kind);
            n.put("key", key);
            n.put("lastUsed", used == null ? null : used.toString());
          }
        }
      }
    }
    if (document != null) {
      for (JsonNode flag : document.path("flags")) {
        String key = flag.path("key").asText(null);
        if (key == null) {
          continue; // flagd: flags is an object; these findings are native-only
        }
        JsonNode expires = flag.get("expiresAt");
        if (expires != null && expires.isTextual() && expired(expires.asText(), now)) {
          ObjectNode n = out.addObject();
          n.put("type", "expired");
          n.put("kind", "flag");
          n.put("key", key);
          n.put("expiresAt", expires.asText());
        }
        JsonNode rollout = flag.get("rolloutPercentage");
        if (rollout != null
            && (rollout.asDouble() == 0 || rollout.asDouble() == 100)
            && stale("flag " + key, now)) {
          ObjectNode n = out.addObject();
          n.put("type", "fully-rolled-out");
          n.put("kind", "flag");
          n.put("key", key);
          n.put("rolloutPercentage", rollout.asDouble());
          n.put("unchangedSince", definitionChangedAt.get("flag " + key).toString());
        }
      }
      for (JsonNode test : document.path("tests")) {
        String id = test.path("id").asText(null);
        if (id != null
            && "completed".equals(test.path("status").asText())
            && stale("test " + id, now)) {
          ObjectNode n = out.addObject();
          n.put("type", "fully-rolled-out");
          n.put("kind", "test");
          n.put("key", id);
          n.put("unchangedSince", definitionChangedAt.get("test " + id).toString());
        }
      }
    }
    for (Instance i : instances.values()) {
      if (i.version >= version) {
        continue;
      }
      Map.Entry<Long, Instant> newer = publishedAt.higherEntry(i.version);
      Instant since = newer == null ? startedAt : newer.getValue();
      if (since.plus(LAGGING_AFTER).isBefore(now)) {
        ObjectNode n = out.addObject();
        n.put("type", "lagging-instance");
        n.put("instance", i.id);
        n.put("app", i.app);
        n.put("version", i.version);
        n.put("currentVersion", version);
        n.put("behindSince", since.toString());
      }
    }
    return out;
  }

  private boolean stale(String kindKey, Instant now) {
    Instant changed = definitionChangedAt.get(kindKey);
    return changed != null && !changed.plus(staleAfter).isAfter(now);
  }

  private static boolean expired(String instant, Instant now) {
    try {
      return !Instant.parse(instant).isAfter(now);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private Map<String, Set<String>> knownKeys() {
    Map<String, Set<String>> known = new LinkedHashMap<>();
    known.put("flag", new TreeSet<>());
    known.put("test", new TreeSet<>());
    known.put("config", new TreeSet<>());
    definitions
        .keySet()
        .forEach(
            k -> known.get(k.substring(0, k.indexOf(' '))).add(k.substring(k.indexOf(' ') + 1)));
    return known;
  }

  /** "kind key" → the definition's JSON, for change tracking and the known keys. */
  private static Map<String, String> definitionsOf(JsonNode doc) {
    Map<String, String> out = new HashMap<>();
    JsonNode flags = doc.path("flags");
    if (flags.isArray()) {
      for (JsonNode f : flags) {
        out.put("flag " + f.path("key").asText(), f.toString());
      }
    } else if (flags.isObject()) {
      flags.fields().forEachRemaining(e -> out.put("flag " + e.getKey(), e.getValue().toString()));
    }
    for (JsonNode t : doc.path("tests")) {
      out.put("test " + t.path("id").asText(), t.toString());
    }
    doc.path("config")
        .fields()
        .forEachRemaining(
            ns ->
                ns.getValue()
                    .fields()
                    .forEachRemaining(
                        e ->
                            out.put(
                                "config " + ns.getKey() + "." + e.getKey(),
                                e.getValue().toString())));
    return out;
  }

  private static final class Instance {
    String id;
    String app;
    String host;
    long pid;
    String agentVersion;
    long version;
    String state;
    String peer;
    Duration interval;
    Instant lastSeen;
    final List<String[]> sites = new ArrayList<>();
    final Map<String, List<String>> unknownKeys = new TreeMap<>();
    final Map<String, Long> anonymous = new TreeMap<>();
    final Map<String, Totals> exposures = new HashMap<>();
  }

  private static final class Totals {
    long count;
    long errors;
    final long[] latency = new long[LatencyBuckets.COUNT];

    void add(Totals t) {
      count += t.count;
      errors += t.errors;
      for (int i = 0; i < latency.length; i++) {
        latency[i] += t.latency[i];
      }
    }
  }
}
