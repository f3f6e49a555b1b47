package dev.dynconfig;

import static dev.dynconfig.Docs.load;
import static dev.dynconfig.Docs.offer;
import static dev.dynconfig.Docs.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynconfig.internal.engine.EngineIntrospection;
import dev.dynconfig.internal.source.SourceSink.OfferResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineApiTest {
  DynamicConfig config;

  static String doc(int version, boolean on, long timeout) {
    return q(
        "{'version': "
            + version
            + ", 'flags': [{'key': 'f', 'defaultValue': "
            + on
            + "}], 'config': {'checkout': {'timeoutMs': "
            + timeout
            + ", 'retries': [1, 2]}, 'ui': {'theme': 'dark'}}}");
  }

  @BeforeEach
  void setUp() {
    config = DynamicConfig.create(DynamicConfigOptions.defaults());
  }

  // ---------------------------------------------------------------- runtime config

  record Checkout(long timeoutMs, List<Integer> retries) {}

  @Test
  void runtimeConfig_isReadRawAndConverted() {
    load(config, doc(1, true, 1500));
    assertThat(config.getRuntimeConfig("checkout", "timeoutMs")).isEqualTo(1500L);
    assertThat(config.getRuntimeConfig("checkout", "timeoutMs", Integer.class)).isEqualTo(1500);
    assertThat(config.getRuntimeConfig("checkout", "timeoutMs", long.class)).isEqualTo(1500L);
    assertThat(config.getRuntimeConfig("checkout", "timeoutMs", String.class)).isEqualTo("1500");
    assertThat(config.getRuntimeConfig("ui", "missing", String.class)).isNull();
    assertThat(config.getRuntimeConfig("nope", "x")).isNull();
    config.setRuntimeConfig("checkout", "all", Map.of("timeoutMs", 5, "retries", List.of(1, 2)));
    assertThat(config.getRuntimeConfig("checkout", "all", Checkout.class))
        .isEqualTo(new Checkout(5, List.of(1, 2)));
  }

  @Test
  void runtimeConfig_thatCannotBeConverted_explainsWhy() {
    load(config, doc(1, true, 1500));
    assertThatThrownBy(() -> config.getRuntimeConfig("ui", "theme", Integer.class))
        .isInstanceOf(DynamicConfigException.class)
        .hasMessageStartingWith(
            "runtime config ui.theme = \"dark\" cannot be converted to java.lang.Integer");
  }

  @Test
  void setRuntimeConfig_overlaysTheDocument_survivesReloads_andNullRemoves() {
    load(config, doc(1, true, 1500));
    config.setRuntimeConfig("checkout", "timeoutMs", 900);
    load(config, doc(2, true, 2000));
    assertThat(config.getRuntimeConfig("checkout", "timeoutMs")).isEqualTo(900L);
    config.setRuntimeConfig("checkout", "timeoutMs", null);
    assertThat(config.getRuntimeConfig("checkout", "timeoutMs")).isEqualTo(2000L);
  }

  // ---------------------------------------------------------------- listeners

  @Test
  void reload_publishesConfigAndFlagChanges_withFileSource() {
    load(config, doc(1, true, 1500));
    List<ConfigChangeEvent> events = new ArrayList<>();
    config.subscribeToConfig("checkout", "timeoutMs", events::add);
    config.subscribeToConfig(ConfigChangeEvent.FEATURES, "f", events::add);

    load(config, doc(2, false, 2000));

    assertThat(events).hasSize(2);
    assertThat(events.get(0).namespace()).isEqualTo("features");
    assertThat(((FeatureFlag) events.get(0).oldValue()).defaultValue()).isTrue();
    assertThat(((FeatureFlag) events.get(0).newValue()).defaultValue()).isFalse();
    assertThat(events.get(1))
        .isEqualTo(new ConfigChangeEvent("checkout", "timeoutMs", 1500L, 2000L, "file"));
  }

  @Test
  void throwingListener_doesNotStopOthers_norTheReload() {
    load(config, doc(1, true, 1500));
    List<ConfigChangeEvent> seen = new ArrayList<>();
    config.subscribeToConfig(
        null,
        null,
        e -> {
          throw new IllegalStateException("listener bug");
        });
    config.subscribeToConfig("checkout", null, seen::add);
    load(config, doc(2, true, 2000));
    assertThat(seen).extracting(ConfigChangeEvent::newValue).containsExactly(2000L);
    assertThat(config.getRuntimeConfig("checkout", "timeoutMs")).isEqualTo(2000L);
  }

  @Test
  void listenersThrowingErrors_doNotStopOtherListeners_norTheReload_norLaterReloads() {
    load(config, doc(1, true, 1500));
    List<ConfigChangeEvent> seen = new ArrayList<>();
    List<Long> swaps = new ArrayList<>();
    config.subscribeToConfig(
        null,
        null,
        e -> {
          throw new OutOfMemoryError("listener ran out of memory");
        });
    config
        .introspection()
        .subscribeToSnapshots(
            i -> {
              throw new StackOverflowError("snapshot listener bug");
            });
    config.subscribeToConfig("checkout", null, seen::add);
    config.introspection().subscribeToSnapshots(i -> swaps.add(i.version()));

    assertThat(offer(config, doc(2, true, 2000))).isEqualTo(OfferResult.APPLIED);
    assertThat(offer(config, doc(3, true, 2500))).isEqualTo(OfferResult.APPLIED);

    assertThat(seen).extracting(ConfigChangeEvent::newValue).containsExactly(2000L, 2500L);
    assertThat(swaps).containsExactly(2L, 3L);
    assertThat(config.getState().version()).isEqualTo(3);
  }

  @Test
  void unsubscribe_stopsEvents() {
    load(config, doc(1, true, 1500));
    List<ConfigChangeEvent> seen = new ArrayList<>();
    Subscription s = config.subscribeToConfig("checkout", "*", seen::add);
    s.unsubscribe();
    load(config, doc(2, true, 2000));
    assertThat(seen).isEmpty();
  }

  // ---------------------------------------------------------------- overrides

  @Test
  void override_publishesEvent_andSurvivesReloadsUntilRemoved() {
    load(config, doc(1, false, 1500));
    List<ConfigChangeEvent> seen = new ArrayList<>();
    config.subscribeToConfig(ConfigChangeEvent.FEATURES, "f", seen::add);

    config.setOverride("f", true);
    load(config, doc(2, false, 1500));

    assertThat(config.evaluateFlag("f", EvaluationContext.empty()).reason())
        .isEqualTo(Reason.OVERRIDE);
    assertThat(config.getOverride("f")).isEqualTo(true);
    assertThat(config.getOverrides()).containsExactly(Map.entry("f", true));
    assertThat(seen.get(0))
        .isEqualTo(new ConfigChangeEvent("features", "f", null, true, "override"));

    config.removeOverride("f");
    assertThat(config.isFlagEnabled("f", EvaluationContext.empty())).isFalse();
    assertThat(seen)
        .last()
        .isEqualTo(new ConfigChangeEvent("features", "f", true, null, "override"));
  }

  @Test
  void clearOverrides_removesAll() {
    config.setOverride("a", true);
    config.setOverride("b", "x");
    config.clearOverrides();
    assertThat(config.getOverrides()).isEmpty();
    assertThat(config.evaluateFlag("a", null).errorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
  }

  // ---------------------------------------------------------------- documents and state

  @Test
  void rejectedDocument_keepsLastGoodSnapshot_andReportsError() {
    load(config, doc(1, true, 1500));
    assertThat(offer(config, q("{'flags': [{'key': 'f', 'rolloutPercentage': 140}]}")))
        .isEqualTo(OfferResult.REJECTED);
    assertThat(config.isFlagEnabled("f", null)).isTrue();
    assertThat(config.getState().lastError())
        .isEqualTo("test.json: flags[0].rolloutPercentage: 140 is outside 0..100");
    assertThat(config.getState().version()).isEqualTo(1);
    load(config, doc(2, true, 1500));
    assertThat(config.getState().lastError()).isNull();
    assertThat(config.getState().version()).isEqualTo(2);
    assertThat(config.getState().lastSyncedAt()).isNotNull();
  }

  @Test
  void olderRemoteVersion_isStale_andSameVersionIsUnchanged() {
    byte[] v5 = doc(5, true, 1).getBytes(StandardCharsets.UTF_8);
    byte[] v4 = doc(4, false, 1).getBytes(StandardCharsets.UTF_8);
    assertThat(config.sink().offer(v5, 5, "http://server/v1/flags")).isEqualTo(OfferResult.APPLIED);
    assertThat(config.sink().offer(v4, 4, "http://server/v1/flags")).isEqualTo(OfferResult.STALE);
    assertThat(config.sink().offer(v5, 5, "http://server/v1/flags"))
        .isEqualTo(OfferResult.UNCHANGED);
    assertThat(config.isFlagEnabled("f", null)).isTrue();
    assertThat(config.sink().currentVersion()).isEqualTo(5);
  }

  @Test
  void documentWithoutVersion_getsIncreasingLocalVersions() {
    load(config, q("{'flags': {'x': {'state': 'ENABLED', 'variants': {'a': 1}}}}"));
    long first = config.getState().version();
    load(config, q("{'flags': {'x': {'state': 'ENABLED', 'variants': {'a': 2}}}}"));
    assertThat(first).isGreaterThanOrEqualTo(0);
    assertThat(config.getState().version()).isGreaterThan(first);
  }

  @Test
  void stateListeners_seeChanges_andThrowingOnesAreIgnored() {
    List<DynamicConfigState> states = new ArrayList<>();
    config.subscribeToState(
        s -> {
          throw new RuntimeException("bug");
        });
    config.subscribeToState(states::add);
    load(config, doc(3, true, 1));
    assertThat(states).last().extracting(DynamicConfigState::version).isEqualTo(3L);
  }

  // ---------------------------------------------------------------- registration

  @Test
  void registeredFlag_servesUntilADocumentDefinesTheKey() {
    config.registerFlag(FeatureFlag.of("f", true));
    assertThat(config.isFlagEnabled("f", null)).isTrue();
    load(config, doc(1, false, 1));
    assertThat(config.isFlagEnabled("f", null)).isFalse();
    load(config, q("{'version': 2, 'flags': []}"));
    assertThat(config.isFlagEnabled("f", null)).isTrue();
  }

  @Test
  void invalidRegisteredFlag_isRefusedWithTheDocumentMessage() {
    assertThatThrownBy(
            () ->
                config.registerFlag(
                    new FeatureFlag(
                        "r", false, null, null, null, null, 150.0, null, null, null, null)))
        .isInstanceOf(DynamicConfigException.class)
        .hasMessage("registerFlag(r): flags[0].rolloutPercentage: 150.0 is outside 0..100");
  }

  // ---------------------------------------------------------------- initialize

  @Test
  void initialize_withMissingFile_andDefaultFallback_startsOnCodeDefaults(@TempDir Path dir) {
    DynamicConfig c =
        DynamicConfig.create(
            DynamicConfigOptions.builder()
                .file(dir.resolve("absent.json"))
                .fallback(Fallback.DEFAULT)
                .build());
    c.registerFlag(FeatureFlag.of("f", true));
    try {
      c.initialize();
      assertThat(c.getState().initialized()).isTrue();
      assertThat(c.getState().lastError()).contains("absent.json does not exist");
      assertThat(c.isFlagEnabled("f", null)).isTrue();
    } finally {
      c.shutdown();
    }
  }

  @Test
  void initialize_withBrokenFile_andThrowFallback_throws(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, "{\"flags\": [{\"key\": 1}]}");
    DynamicConfig c =
        DynamicConfig.create(
            DynamicConfigOptions.builder().file(file).fallback(Fallback.THROW).build());
    assertThatThrownBy(c::initialize)
        .isInstanceOf(DynamicConfigException.class)
        .hasMessageContaining("flags[0].key: 1 must be a non-empty string")
        .hasMessageEndingWith("(fallback=throw)");
    c.shutdown();
  }

  @Test
  void singleton_isCreatedOnce_andReplacedAfterShutdown() {
    DynamicConfig a = DynamicConfig.get(DynamicConfigOptions.builder().environment("x").build());
    assertThat(DynamicConfig.get()).isSameAs(a);
    assertThat(a.options().environment()).isEqualTo("x");
    a.shutdown();
    DynamicConfig b = DynamicConfig.get();
    assertThat(b).isNotSameAs(a);
    b.shutdown();
  }

  // ---------------------------------------------------------------- introspection

  @Test
  void introspection_countsEvaluations_andListsDefinitions() {
    load(config, doc(1, true, 1));
    config.registerFlag(FeatureFlag.of("code", false));
    for (int i = 0; i < 3; i++) {
      config.isFlagEnabled("f", null);
    }
    config.isFlagEnabled("code", null);
    EngineIntrospection in = config.introspection();
    assertThat(in.flagCounts("f")).isEqualTo(new EngineIntrospection.FlagCounts(3, 0, 0));
    assertThat(in.flagCounts("code")).isEqualTo(new EngineIntrospection.FlagCounts(0, 1, 0));
    assertThat(in.flagKeys()).containsExactly("code", "f");
    assertThat(in.flagDefinitionJson("f")).isEqualTo("{\"key\":\"f\",\"defaultValue\":true}");
    assertThat(in.flagDefinitionJson("code"))
        .isEqualTo("{\"key\":\"code\",\"defaultValue\":false}");
    assertThat(in.flagDefinitionJson("nope")).isNull();
    assertThat(in.version()).isEqualTo(1);
  }

  @Test
  void snapshotListener_seesEverySwap() {
    List<EngineIntrospection.SnapshotInfo> swaps = new ArrayList<>();
    config.introspection().subscribeToSnapshots(swaps::add);
    load(config, doc(1, true, 1));
    config.setOverride("f", false);
    assertThat(swaps).hasSize(2);
    assertThat(swaps.get(0).flagKeys()).containsExactly("f");
    assertThat(swaps.get(0).version()).isEqualTo(1);
  }

  @Test
  void constant_isTheEvaluation_forContextFreeFlags_overridesAndUnknownKeys() {
    load(
        config,
        q(
            "{'version': 1, 'flags': [{'key': 'f', 'defaultValue': true},"
                + " {'key': 'rollout', 'defaultValue': false, 'rolloutPercentage': 25},"
                + " {'key': 'expiring', 'defaultValue': true, 'expiresAt': '2999-01-01T00:00:00Z'},"
                + " {'key': 'targeted', 'defaultValue': false,"
                + " 'targeting': {'==': [{'var': 'plan'}, 'premium']}}]}"));
    EngineIntrospection in = config.introspection();
    assertThat(in.contextNeeds("f", false).constant().result())
        .isEqualTo(config.evaluateFlag("f", EvaluationContext.empty(), false));
    assertThat(in.contextNeeds("unknown", true).constant().result().value()).isEqualTo(true);
    assertThat(in.contextNeeds("rollout", false).constant()).isNull();
    assertThat(in.contextNeeds("targeted", false).constant()).isNull();
    assertThat(in.contextNeeds("expiring", false).constant())
        .as("expiry depends on the clock")
        .isNull();

    config.setOverride("targeted", true);
    assertThat(in.contextNeeds("targeted", false).constant().result().value()).isEqualTo(true);
  }

  @Test
  void constantResult_recordUse_countsLikeAnEvaluation() {
    load(config, doc(1, false, 1));
    var constant = config.introspection().contextNeeds("f", true).constant();
    constant.recordUse();
    constant.recordUse();
    config.introspection().contextNeeds("unknown", true).constant().recordUse();
    assertThat(config.introspection().flagCounts("f"))
        .isEqualTo(new EngineIntrospection.FlagCounts(0, 2, 0));
    assertThat(config.introspection().flagCounts("unknown"))
        .isEqualTo(new EngineIntrospection.FlagCounts(0, 0, 0));
  }

  @Test
  void evaluateFlagForUser_equalsEvaluatingAContextOfThatUser_forEveryShape() {
    load(
        config,
        q(
            "{'version': 1, 'flags': [{'key': 'static', 'defaultValue': true},"
                + " {'key': 'rollout', 'defaultValue': false, 'rolloutPercentage': 25},"
                + " {'key': 'rule', 'defaultValue': false, 'rolloutPercentage': 10,"
                + " 'targeting': {'==': [{'var': 'plan'}, 'premium']}},"
                + " {'key': 'role', 'defaultValue': false, 'minRole': 'admin'},"
                + " {'key': 'envs', 'defaultValue': true, 'environments': ['prod']}],"
                + " 'roles': ['user', 'admin']}"));
    config.setOverride("overridden", true);
    for (String flag : List.of("static", "rollout", "rule", "role", "envs", "overridden", "none")) {
      for (int u = 0; u < 200; u++) {
        String user = u == 0 ? null : "user-" + u;
        EvaluationContext context =
            user == null ? EvaluationContext.empty() : EvaluationContext.ofUser(user);
        assertThat(config.evaluateFlagForUser(flag, user, false))
            .as("%s for %s", flag, user)
            .isEqualTo(config.evaluateFlag(flag, context, false));
      }
    }
  }
}
