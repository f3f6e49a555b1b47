package dev.dynconfig.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.internal.json.Json;
import dev.dynconfig.server.DynconfigServer;
import dev.dynconfig.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet view end to end: a real server on loopback with an injected clock, and three
 * application JVMs under the real agent (two on the WebSocket, one polling over HTTP) that report
 * their sites, unknown keys and exposures. Every count is exact because the apps are driven over
 * stdin; time-dependent findings and expiry move the server's clock, never sleep.
 */
class FleetIT {
  private static final String READ = "read-token-R";
  private static final String ADMIN = "admin-token-A";
  private static final String DOCUMENT =
      """
      {"version": 1,
       "flags": [{"key": "new-pricing", "defaultValue": true},
                 {"key": "gradual", "defaultValue": false, "rolloutPercentage": 100},
                 {"key": "old-flag", "defaultValue": true, "expiresAt": "2020-01-01T00:00:00Z"},
                 {"key": "orphan", "defaultValue": true}],
       "tests": [{"id": "checkout-experiment", "status": "running",
                  "variants": [{"id": "control", "isControl": true}, {"id": "variant-a"}],
                  "allocation": {"control": 50, "variant-a": 50}}],
       "config": {"checkout": {"timeoutMs": 1500}}}
      """;

  @TempDir Path dir;
  private DynconfigServer server;

  /** The server reads it for last-seen times, expiry and findings. */
  private final MutableClock clock = new MutableClock("2026-06-01T00:00:00Z");

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<ChildJvm> apps = new ArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    Fixtures.assumeEngine();
    Path file = dir.resolve("server-flags.json");
    Fixtures.write(file, DOCUMENT);
    server =
        DynconfigServer.builder()
            .file(file)
            .host("127.0.0.1")
            .port(0)
            .readToken(READ)
            .adminToken(ADMIN)
            .clock(clock)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    apps.forEach(ChildJvm::close);
    if (server != null) {
      server.close();
    }
  }

  @SuppressWarnings("unchecked")
  @Test
  void instancesSitesExposuresAndFindings_areReported_andDeadInstancesExpire() throws Exception {
    ChildJvm a =
        app("shop-a", "source=websocket,url=ws://127.0.0.1:" + server.port() + "/v1/stream");
    ChildJvm b =
        app("shop-b", "source=websocket,url=ws://127.0.0.1:" + server.port() + "/v1/stream");
    ChildJvm poller =
        app(
            "shop-poller",
            "source=remote,url=http://127.0.0.1:" + server.port() + "/v1/flags,pollingInterval=1h");

    int control = 0;
    int variantA = 0;
    for (ChildJvm app : List.of(a, b)) {
      for (int u = 0; u < 15; u++) {
        String user = "user-" + u + "-" + app.pid();
        String answer = app.ask("steps " + user, "steps " + user + "=");
        if (answer.endsWith("=3")) {
          control++;
        } else {
          assertThat(answer).endsWith("=2");
          variantA++;
        }
      }
    }
    assertThat(a.ask("typos", "typos=")).isEqualTo("typos=legacy,3,1000");
    for (int i = 0; i < 3; i++) {
      assertThat(b.ask("feature alice", "feature alice=")).isEqualTo("feature alice=new");
    }
    assertThat(b.ask("feature -", "feature -=")).isEqualTo("feature -=old");
    int expectedControl = control;
    int expectedA = variantA;

    Map<String, Object> fleet =
        awaitFleet(
            f ->
                instances(f).size() == 3
                    && exposures(f, "control") == expectedControl
                    && exposures(f, "variant-a") == expectedA
                    && flagExposure(f, "true") == 3
                    && findings(f, "unknown-key").size() == 3,
            "three instances and every call counted");

    assertThat(instances(fleet))
        .extracting(i -> i.get("app") + " v" + i.get("version") + " lag " + i.get("lag"))
        .containsExactlyInAnyOrder("shop-a v1 lag 0", "shop-b v1 lag 0", "shop-poller v1 lag 0");
    assertThat(instances(fleet)).allSatisfy(i -> assertThat(i.get("pid")).isNotNull());
    Map<String, Object> experiment = key(fleet, "test", "checkout-experiment");
    assertThat((List<String>) experiment.get("apps"))
        .containsExactlyInAnyOrder("shop-a", "shop-b", "shop-poller");
    assertThat((List<String>) experiment.get("methods"))
        .containsExactly("com.acme.itapp.Checkout#steps()");
    assertThat((List<String>) key(fleet, "flag", "new-pricnig").get("unknownIn")).hasSize(1);
    List<Map<String, Object>> variants =
        (List<Map<String, Object>>)
            ((Map<String, Object>) fleet.get("tests")).get("checkout-experiment");
    assertThat(variants)
        .allSatisfy(
            v -> {
              assertThat(((Number) v.get("errors")).longValue()).isZero();
              assertThat(v).containsKey("p50Ms").containsKey("p99Ms");
            });
    assertThat(flagExposure(fleet, "false")).isEqualTo(1);
    assertThat(findings(fleet, "unknown-key"))
        .extracting(f -> f.get("key"))
        .containsExactlyInAnyOrder("new-pricnig", "checkout-experimnet", "checkout.timeoutMS");
    assertThat(findings(fleet, "unknown-key"))
        .filteredOn(f -> f.get("key").equals("new-pricnig"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.get("key")).isEqualTo("new-pricnig");
              assertThat(f.get("closest")).isEqualTo("new-pricing");
              assertThat((List<String>) f.get("methods"))
                  .containsExactly("com.acme.itapp.Typos#price()");
            });
    assertThat(findings(fleet, "expired"))
        .extracting(f -> f.get("key"))
        .containsExactly("old-flag");
    assertThat(findings(fleet, "unused")).as("the server has not watched for 24 h yet").isEmpty();
    assertThat(findings(fleet, "fully-rolled-out")).isEmpty();

    // A change the poller (interval 1 h) does not pick up: after a minute it is lagging.
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(uri("/v1/admin/flags/new-pricing"))
                .header("Authorization", "Bearer " + ADMIN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"defaultValue\": false}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(a.askUntil("price", "price=legacy", "version 2 on shop-a")).isPositive();
    clock.advance(Duration.ofMinutes(2));
    // 15 days later (every instance keeps reporting): gradual (100 %) is fully rolled out,
    // orphan is used by no method; the instances are alive because they reported since.
    clock.advance(Duration.ofDays(15));
    Instant advanced = clock.instant();
    fleet =
        awaitFleet(
            f ->
                instances(f).size() == 3
                    && instances(f).stream()
                        .allMatch(
                            i -> !Instant.parse((String) i.get("lastSeen")).isBefore(advanced))
                    && !findings(f, "lagging-instance").isEmpty(),
            "every instance reporting after the clock moved");
    assertThat(findings(fleet, "lagging-instance"))
        .extracting(f -> f.get("app") + " v" + f.get("version"))
        .containsExactly("shop-poller v1");
    assertThat(findings(fleet, "fully-rolled-out"))
        .extracting(f -> f.get("key"))
        .containsExactly("gradual");
    assertThat(findings(fleet, "unused"))
        .extracting(f -> f.get("key"))
        .containsExactlyInAnyOrder("orphan", "old-flag");

    // shop-b dies: once it has been silent for three of its report intervals, it is gone.
    b.close();
    clock.advance(Duration.ofSeconds(10));
    Instant afterDeath = clock.instant();
    fleet =
        awaitFleet(
            f ->
                instances(f).size() == 2
                    && instances(f).stream()
                        .allMatch(
                            i -> !Instant.parse((String) i.get("lastSeen")).isBefore(afterDeath)),
            "shop-b expired, the others reporting");
    assertThat(instances(fleet))
        .extracting(i -> i.get("app"))
        .containsExactlyInAnyOrder("shop-a", "shop-poller");
  }

  @Test
  void oversizedAndMalformedReports_closeOrRefuseOnlyThatClient_andAreNotStored() throws Exception {
    String pad = "x".repeat(300 * 1024);
    String big = "{\"type\":\"report\",\"instance\":\"big\",\"app\":\"" + pad + "\"}";
    assertThat(wsClose(big)).isEqualTo(1009);
    assertThat(wsClose("{\"type\":\"report\",\"instance\":5}")).isEqualTo(1007);
    assertThat(wsClose("{\"type\":\"report\",\"instance\":\"i\",\"sites\":{}}")).isEqualTo(1007);
    assertThat(wsClose("{\"type\":\"hello\"}")).isEqualTo(1003);
    assertThat(post(big)).isEqualTo(413);
    assertThat(post("not json")).isEqualTo(400);
    assertThat(post("{\"type\":\"report\"}")).isEqualTo(400);
    assertThat(post("{\"type\":\"report\",\"instance\":\"ok\",\"app\":\"probe\"}")).isEqualTo(204);

    Map<String, Object> fleet = fleet();
    assertThat(instances(fleet)).extracting(i -> i.get("instance")).containsExactly("ok");
  }

  private ChildJvm app(String name, String source) throws Exception {
    List<String> args = new ArrayList<>();
    args.add(
        "-javaagent:"
            + ChildJvm.AGENT_JAR.toAbsolutePath()
            + "="
            + source
            + ",app="
            + name
            + ",reportInterval=300ms,initTimeout=20s,jmx=false,cacheFile="
            + dir.resolve(name + "-cache.json"));
    args.add("-Ddynconfig.token=" + READ);
    args.add("-cp");
    args.add(Fixtures.appClasspath("current"));
    args.add("com.acme.itapp.FleetApp");
    ChildJvm jvm = ChildJvm.start(dir, args);
    apps.add(jvm);
    jvm.awaitOut(0, "ready"::equals, name + " started");
    jvm.askUntil("price", "price=new", name + " has the server's document");
    return jvm;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> fleet() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri("/v1/admin/fleet"))
                .header("Authorization", "Bearer " + READ)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return (Map<String, Object>) Json.read(r.body(), "fleet");
  }

  private Map<String, Object> awaitFleet(Predicate<Map<String, Object>> done, String what)
      throws Exception {
    long deadline = System.nanoTime() + ChildJvm.TIMEOUT.toNanos();
    Map<String, Object> last = null;
    while (System.nanoTime() < deadline) {
      last = fleet();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    StringBuilder dumps = new StringBuilder();
    apps.forEach(a -> dumps.append(a.dump()).append('\n'));
    throw new AssertionError(
        "timed out waiting for " + what + "; last view:\n" + Json.write(last) + "\n" + dumps);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> instances(Map<String, Object> fleet) {
    return (List<Map<String, Object>>) fleet.get("instances");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> findings(Map<String, Object> fleet, String type) {
    return ((List<Map<String, Object>>) fleet.get("findings"))
        .stream().filter(f -> type.equals(f.get("type"))).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> key(Map<String, Object> fleet, String kind, String key) {
    return ((List<Map<String, Object>>) fleet.get("keys"))
        .stream()
            .filter(k -> kind.equals(k.get("kind")) && key.equals(k.get("key")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + kind + " " + key + " in " + fleet));
  }

  @SuppressWarnings("unchecked")
  private static long exposures(Map<String, Object> fleet, String variant) {
    Object variants = ((Map<String, Object>) fleet.get("tests")).get("checkout-experiment");
    if (variants == null) {
      return -1;
    }
    return ((List<Map<String, Object>>) variants)
        .stream()
            .filter(v -> variant.equals(v.get("variant")))
            .mapToLong(v -> ((Number) v.get("exposures")).longValue())
            .sum();
  }

  @SuppressWarnings("unchecked")
  private static long flagExposure(Map<String, Object> fleet, String value) {
    Map<String, Object> gradual =
        (Map<String, Object>) ((Map<String, Object>) fleet.get("flagExposures")).get("gradual");
    return gradual == null || gradual.get(value) == null
        ? -1
        : ((Number) gradual.get(value)).longValue();
  }

  private int post(String body) throws Exception {
    return http.send(
            HttpRequest.newBuilder(uri("/v1/report"))
                .header("Authorization", "Bearer " + READ)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** Sends one text message on a fresh /v1/stream connection; returns the server's close code. */
  private int wsClose(String message) throws Exception {
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket ws =
        http.newWebSocketBuilder()
            .header("Authorization", "Bearer " + READ)
            .buildAsync(
                URI.create("ws://127.0.0.1:" + server.port() + "/v1/stream"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                    closed.complete(status);
                    return null;
                  }

                  @Override
                  public void onError(WebSocket w, Throwable error) {
                    closed.completeExceptionally(error);
                  }
                })
            .get(30, TimeUnit.SECONDS);
    ws.sendText(message, true);
    return closed.get(30, TimeUnit.SECONDS);
  }
}
