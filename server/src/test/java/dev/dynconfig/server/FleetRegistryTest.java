package dev.dynconfig.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynconfig.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet view's bookkeeping and findings, on an injected clock. */
class FleetRegistryTest {
  private final MutableClock clock = new MutableClock("2026-01-01T09:00:00Z");
  private final FleetRegistry fleet = new FleetRegistry(clock, Duration.ofDays(14));

  @Test
  void exposureDeltas_addUpPerInstance_andOverTheFleet() throws Exception {
    fleet.observe(snapshot(1, "{\"version\":1,\"tests\":[{\"id\":\"t\",\"status\":\"running\"}]}"));
    fleet.accept(
        report(
            "a",
            1,
            "[{\"kind\":\"test\",\"key\":\"t\",\"variant\":\"v\",\"count\":5,\"errors\":1,\"latency\":{\"20\":2}}]"),
        "p");
    fleet.accept(
        report("a", 1, "[{\"kind\":\"test\",\"key\":\"t\",\"variant\":\"v\",\"count\":3}]"), "p");
    fleet.accept(
        report("b", 1, "[{\"kind\":\"test\",\"key\":\"t\",\"variant\":\"v\",\"count\":2}]"), "p");

    JsonNode v = fleet.view().path("tests").path("t").get(0);
    assertThat(v.path("exposures").asLong()).isEqualTo(10);
    assertThat(v.path("errors").asLong()).isEqualTo(1);
    assertThat(v.path("errorRate").asDouble()).isEqualTo(0.1);
    assertThat(v.has("p50Ms")).isTrue();
  }

  @Test
  void silentInstances_expireAfterThreeIntervals() throws Exception {
    fleet.observe(snapshot(1, "{\"version\":1}"));
    fleet.accept(report("a", 1, "[]"), "p");
    clock.advance(Duration.ofSeconds(89));
    assertThat(fleet.view().path("instances")).hasSize(1);
    clock.advance(Duration.ofSeconds(2));
    assertThat(fleet.view().path("instances")).isEmpty();
  }

  @Test
  void findings_followTheClock() throws Exception {
    fleet.observe(
        snapshot(
            1,
            """
            {"version":1,"flags":[{"key":"done","defaultValue":true,"rolloutPercentage":100},
              {"key":"orphan","defaultValue":true},
              {"key":"gone","defaultValue":true,"expiresAt":"2026-01-02T09:00:00Z"}],
             "tests":[{"id":"old","status":"completed"}]}
            """));
    fleet.accept(report("a", 1, "[]"), "p");
    assertThat(types(fleet.view())).isEmpty();

    clock.advance(Duration.ofDays(2));
    fleet.observe(
        snapshot(
            2,
            "{\"version\":2,\"flags\":[{\"key\":\"done\",\"defaultValue\":true,\"rolloutPercentage\":100},{\"key\":\"orphan\",\"defaultValue\":true},{\"key\":\"gone\",\"defaultValue\":true,\"expiresAt\":\"2026-01-02T09:00:00Z\"}],\"tests\":[{\"id\":\"old\",\"status\":\"completed\"}]}"));
    clock.advance(Duration.ofSeconds(30));
    fleet.accept(report("a", 1, "[]"), "p");
    assertThat(types(fleet.view()))
        .containsExactlyInAnyOrder(
            "unused gone", "unused orphan", "unused done", "unused old", "expired gone");
    clock.advance(Duration.ofSeconds(31));
    fleet.accept(report("a", 1, "[]"), "p");
    assertThat(types(fleet.view())).contains("lagging-instance a");

    clock.advance(Duration.ofDays(12));
    fleet.accept(report("a", 2, "[]"), "p");
    assertThat(types(fleet.view()))
        .doesNotContain("lagging-instance a")
        .contains("fully-rolled-out done", "fully-rolled-out old");
  }

  @Test
  void malformedOrOversizedReports_areRefused_andStoreNothing() {
    assertThatThrownBy(() -> fleet.accept("nope".getBytes(StandardCharsets.UTF_8), "p"))
        .isInstanceOf(FleetRegistry.RejectedReport.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> fleet.accept(new byte[300 * 1024], "p"))
        .isInstanceOfSatisfying(
            FleetRegistry.RejectedReport.class, e -> assertThat(e.tooLarge).isTrue());
    assertThatThrownBy(
            () ->
                fleet.accept(
                    "{\"type\":\"report\",\"instance\":\"\"}".getBytes(StandardCharsets.UTF_8),
                    "p"))
        .isInstanceOfSatisfying(
            FleetRegistry.RejectedReport.class, e -> assertThat(e.tooLarge).isFalse());
    assertThat(fleet.size()).isZero();
  }

  private static List<String> types(ObjectNode view) {
    List<String> out = new ArrayList<>();
    for (JsonNode f : view.path("findings")) {
      out.add(
          f.path("type").asText()
              + " "
              + (f.has("key") ? f.path("key").asText() : f.path("instance").asText()));
    }
    return out;
  }

  private static byte[] report(String id, long version, String exposures) {
    return ("{\"type\":\"report\",\"instance\":\""
            + id
            + "\",\"app\":\"app\",\"version\":"
            + version
            + ",\"sites\":[],\"exposures\":"
            + exposures
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static Snapshot snapshot(long version, String json) throws Exception {
    return new Snapshot(
        version,
        json.getBytes(StandardCharsets.UTF_8),
        (ObjectNode) FlagStore.MAPPER.readTree(json),
        false);
  }
}
