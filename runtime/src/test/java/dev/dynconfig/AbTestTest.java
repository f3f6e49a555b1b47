package dev.dynconfig;

import static dev.dynconfig.Docs.load;
import static dev.dynconfig.Docs.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.internal.engine.EngineIntrospection.AssignmentResult;
import dev.dynconfig.testing.MutableClock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AbTestTest {
  final MutableClock clock = new MutableClock("2026-06-01T00:00:00Z");
  DynamicConfig config;

  static String test(String status, String allocation, String extra) {
    return q(
        "{'tests': [{'id': 'checkout', 'status': '"
            + status
            + "', 'variants': [{'id': 'control', 'isControl': true, 'config': {'steps': 3}},"
            + " {'id': 'variant-a', 'config': {'steps': 2}}, {'id': 'variant-b', 'config': {'steps': 1}}],"
            + " 'allocation': "
            + allocation
            + extra
            + "}]}");
  }

  @BeforeEach
  void setUp() {
    config =
        DynamicConfig.create(
            DynamicConfigOptions.builder().environment("production").clock(clock).build());
  }

  @Test
  void assignment_isSticky_andFollowsAllocation() {
    load(config, test("running", "{'control': 33, 'variant-a': 33, 'variant-b': 34}", ""));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 30_000; i++) {
      TestVariant v = config.getVariant("checkout", "user-" + i);
      assertThat(config.getVariant("checkout", "user-" + i)).isSameAs(v);
      counts.merge(v.id(), 1, Integer::sum);
    }
    assertThat(counts.get("control")).isBetween(9_500, 10_300);
    assertThat(counts.get("variant-a")).isBetween(9_500, 10_300);
    assertThat(counts.get("variant-b")).isBetween(9_800, 10_600);
    assertThat(config.getVariantConfig("checkout", "user-1"))
        .isEqualTo(config.getVariant("checkout", "user-1").config());
  }

  @Test
  void assignment_survivesReloadOfTheSameTest() {
    load(config, test("running", "{'control': 50, 'variant-a': 50}", ""));
    String before = config.getVariant("checkout", "alice").id();
    load(config, test("running", "{'control': 50, 'variant-a': 50}", ", 'name': 'renamed'"));
    assertThat(config.getVariant("checkout", "alice").id()).isEqualTo(before);
  }

  @Test
  void allocationBoundaries_zeroAndFullAndPartial() {
    load(config, test("running", "{'control': 0, 'variant-a': 100}", ""));
    for (int i = 0; i < 1_000; i++) {
      assertThat(config.getVariant("checkout", "u" + i).id()).isEqualTo("variant-a");
    }
    load(config, test("running", "{'control': 20}", ""));
    int in = 0;
    for (int i = 0; i < 10_000; i++) {
      TestVariant v = config.getVariant("checkout", "u" + i);
      if (v != null) {
        assertThat(v.id()).isEqualTo("control");
        in++;
      }
    }
    assertThat(in).isBetween(1_800, 2_200);
  }

  @Test
  void notRunningTests_assignNobody() {
    for (String status : new String[] {"draft", "paused", "completed"}) {
      load(config, test(status, "{'control': 100}", ""));
      assertThat(config.getVariant("checkout", "u1")).as(status).isNull();
      assertThat(
              config.introspection().explainAssignment("checkout", EvaluationContext.ofUser("u1")))
          .isEqualTo(new AssignmentResult(null, "test is not running"));
    }
  }

  @Test
  void window_withDatesBeyondTheEpochMillisRange_loads_andMeansAlwaysOrNever() {
    // ISO-8601 years of ±300,000,000 parse as Instants but overflow toEpochMilli: found by
    // HostileDocumentsTest, where such a document made the engine throw instead of loading.
    load(
        config,
        test(
            "running",
            "{'control': 100}",
            ", 'startDate': '-300000000-01-01T00:00:00Z', 'endDate': '+300000000-01-01T00:00:00Z'"));
    assertThat(config.getVariant("checkout", "u1")).isNotNull();

    load(
        config, test("running", "{'control': 100}", ", 'startDate': '+300000000-01-01T00:00:00Z'"));
    assertThat(config.getVariant("checkout", "u1")).isNull();
  }

  @Test
  void window_isStartInclusive_endExclusive() {
    load(
        config,
        test(
            "running",
            "{'control': 100}",
            ", 'startDate': '2026-07-01T00:00:00Z', 'endDate': '2026-08-01T00:00:00Z'"));
    assertThat(config.getVariant("checkout", "u1")).isNull();
    clock.set("2026-07-01T00:00:00Z");
    assertThat(config.getVariant("checkout", "u1")).isNotNull();
    clock.set("2026-07-31T23:59:59.999Z");
    assertThat(config.getVariant("checkout", "u1")).isNotNull();
    clock.set("2026-08-01T00:00:00Z");
    assertThat(config.getVariant("checkout", "u1")).isNull();
    assertThat(
            config
                .introspection()
                .explainAssignment("checkout", EvaluationContext.ofUser("u1"))
                .reason())
        .isEqualTo("test has ended");
  }

  @Test
  void environments_limitTheTest() {
    load(config, test("running", "{'control': 100}", ", 'environments': ['staging']"));
    assertThat(config.getVariant("checkout", "u1")).isNull();
    EvaluationContext staging =
        EvaluationContext.builder().userId("u1").environment("staging").build();
    assertThat(config.getVariant("checkout", staging).id()).isEqualTo("control");
  }

  @Test
  void unknownTest_orNoUser_assignsNothing() {
    load(config, test("running", "{'control': 100}", ""));
    assertThat(config.getVariant("nope", "u1")).isNull();
    assertThat(config.getVariant("checkout", (String) null)).isNull();
    assertThat(config.getVariantConfig("nope", "u1")).isNull();
    assertThat(
            config
                .introspection()
                .explainAssignment("checkout", EvaluationContext.empty())
                .reason())
        .isEqualTo("no user or session id to bucket by");
  }

  @Test
  void assignmentCounts_areKeptPerVariant() {
    load(config, test("running", "{'control': 50, 'variant-a': 50}", ""));
    for (int i = 0; i < 100; i++) {
      config.getVariant("checkout", "u" + i);
    }
    Map<String, Long> counts = config.introspection().assignmentCounts("checkout");
    assertThat(counts).containsOnlyKeys("control", "variant-a", "variant-b");
    assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(100);
    assertThat(counts.get("variant-b")).isZero();
  }

  @Test
  void registeredTest_isServedAndValidated() {
    config.registerTest(
        new AbTest(
            "t",
            "T",
            "running",
            java.util.List.of(new TestVariant("a", "A", true, Map.of("x", 1))),
            Map.of("a", 100.0),
            null,
            null,
            null));
    assertThat(config.getVariant("t", "u1").config()).containsEntry("x", 1L);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                config.registerTest(
                    new AbTest(
                        "bad",
                        null,
                        "running",
                        java.util.List.of(new TestVariant("a", null, false, null)),
                        Map.of("a", 120.0),
                        null,
                        null,
                        null)))
        .isInstanceOf(DynamicConfigException.class)
        .hasMessage("registerTest(bad): tests[0].allocation.a: 120.0 is outside 0..100");
  }
}
