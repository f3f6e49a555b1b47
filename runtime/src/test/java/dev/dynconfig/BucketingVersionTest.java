package dev.dynconfig;

import static dev.dynconfig.Docs.load;
import static dev.dynconfig.Docs.offer;
import static dev.dynconfig.Docs.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.internal.source.SourceSink.OfferResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bucketing versions, chosen per document (top-level {@code "bucketing"}) or per engine option.
 * Expected buckets come from the published algorithms, never from this engine: the flagd testbed's
 * {@code @fractional-v1}/{@code @fractional-v2} examples (open-feature/flagd-testbed,
 * gherkin/targeting.feature "Fractional operator", "... shorthand", "... with shared seed", flags
 * from flags/custom-ops.json), and for native rollouts and A/B tests values computed with an
 * independent MurmurHash3 and the formulas of {@link BucketingVersion}.
 */
class BucketingVersionTest {

  /**
   * The testbed's fractional flags (flags/custom-ops.json), with a bucketing setting spliced in.
   */
  static String testbedFlags(String bucketing) {
    return q(
        "{"
            + (bucketing == null ? "" : "'bucketing': '" + bucketing + "', ")
            + """
            'flags': {
              'fractional-flag': {'state': 'ENABLED',
                'variants': {'clubs': 'clubs', 'diamonds': 'diamonds', 'hearts': 'hearts',
                             'spades': 'spades', 'wild': 'wild'},
                'defaultVariant': 'wild',
                'targeting': {'fractional': [
                  {'cat': [{'var': '$flagd.flagKey'}, {'var': 'user.name'}]},
                  ['clubs', 25], ['diamonds', 25], ['hearts', 25], ['spades', 25]]}},
              'fractional-flag-shorthand': {'state': 'ENABLED',
                'variants': {'heads': 'heads', 'tails': 'tails', 'draw': 'draw'},
                'defaultVariant': 'draw',
                'targeting': {'fractional': [['heads'], ['tails', 1]]}},
              'fractional-flag-A-shared-seed': {'state': 'ENABLED',
                'variants': {'clubs': 'clubs', 'diamonds': 'diamonds', 'hearts': 'hearts',
                             'spades': 'spades', 'wild': 'wild'},
                'defaultVariant': 'wild',
                'targeting': {'fractional': [
                  {'cat': ['shared-seed', {'var': 'user.name'}]},
                  ['clubs', 25], ['diamonds', 25], ['hearts', 25], ['spades', 25]]}}
            }}
            """);
  }

  static DynamicConfig engine(BucketingVersion option) {
    DynamicConfigOptions.Builder b = DynamicConfigOptions.builder();
    if (option != null) {
      b.bucketing(option);
    }
    return DynamicConfig.create(b.build());
  }

  static Object byName(DynamicConfig c, String flag, String name) {
    EvaluationContext ctx =
        EvaluationContext.builder()
            .userId("someone")
            .attribute("user", java.util.Map.of("name", name))
            .build();
    return c.evaluateFlag(flag, ctx, "fallback").value();
  }

  static Object byKey(DynamicConfig c, String flag, String targetingKey) {
    return c.evaluateFlag(flag, EvaluationContext.builder().targetingKey(targetingKey).build(), "x")
        .value();
  }

  // testbed @fractional-v1 / @fractional-v2 examples of "Fractional operator"
  @ParameterizedTest(name = "{0}: v1 {1}, v2 {2}")
  @CsvSource({
    "jack,spades,hearts",
    "queen,clubs,spades",
    "ten,diamonds,clubs",
    "nine,hearts,diamonds",
    "3,diamonds,clubs"
  })
  void fractional_documentSetting_selectsTheAlgorithm(String name, String v1, String v2) {
    DynamicConfig legacy = engine(null);
    load(legacy, testbedFlags("v1"));
    assertThat(byName(legacy, "fractional-flag", name)).isEqualTo(v1);
    DynamicConfig current = engine(null);
    load(current, testbedFlags("v2"));
    assertThat(byName(current, "fractional-flag", name)).isEqualTo(v2);
    DynamicConfig byDefault = engine(null);
    load(byDefault, testbedFlags(null));
    assertThat(byName(byDefault, "fractional-flag", name)).isEqualTo(v2);
  }

  // testbed @fractional-v1 examples of "Fractional operator with shared seed" and "... shorthand"
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"jack,hearts", "queen,spades", "ten,hearts", "nine,diamonds"})
  void fractional_engineOption_v1_appliesToDocumentsWithoutSetting(String name, String expected) {
    DynamicConfig c = engine(BucketingVersion.V1);
    load(c, testbedFlags(null));
    assertThat(byName(c, "fractional-flag-A-shared-seed", name)).isEqualTo(expected);
    assertThat(byKey(c, "fractional-flag-shorthand", "jon@company.com")).isEqualTo("heads");
    assertThat(byKey(c, "fractional-flag-shorthand", "jane@company.com")).isEqualTo("tails");
  }

  @Test
  void fractional_documentSettingWinsOverEngineOption() {
    DynamicConfig c = engine(BucketingVersion.V1);
    load(c, testbedFlags("v2"));
    // v2 examples of the testbed's "Fractional operator with shared seed"
    assertThat(byName(c, "fractional-flag-A-shared-seed", "seven")).isEqualTo("hearts");
    assertThat(byName(c, "fractional-flag-A-shared-seed", "eight")).isEqualTo("diamonds");
    assertThat(byName(c, "fractional-flag-A-shared-seed", "nine")).isEqualTo("clubs");
    assertThat(byName(c, "fractional-flag-A-shared-seed", "two")).isEqualTo("spades");
  }

  @Test
  void fractional_v1_withWeightsComputedFromData() {
    // 1:3 shares; buckets computed independently (MurmurHash3 of "weighted" + key, v1 formula)
    String doc =
        q(
            """
            {'bucketing': 'v1', 'flags': {'weighted': {'state': 'ENABLED',
               'variants': {'one': 'one', 'three': 'three', 'none': 'none'}, 'defaultVariant': 'none',
               'targeting': {'fractional': [['one', {'var': 'w1'}], ['three', 3]]}}}}
            """);
    DynamicConfig c = engine(null);
    load(c, doc);
    String[] keys = {"a", "b", "c", "d", "e", "f", "g", "h"};
    String[] v1 = {"three", "three", "three", "three", "three", "one", "three", "one"};
    for (int i = 0; i < keys.length; i++) {
      EvaluationContext ctx =
          EvaluationContext.builder().targetingKey(keys[i]).attribute("w1", 1).build();
      assertThat(c.evaluateFlag("weighted", ctx, "x").value()).as(keys[i]).isEqualTo(v1[i]);
    }
  }

  static final String NATIVE =
      q(
          """
          {'flags': [{'key': 'rollout-flag', 'rolloutPercentage': 30}],
           'tests': [{'id': 'exp', 'status': 'running',
                      'variants': [{'id': 'control', 'isControl': true}, {'id': 'variant-a'}],
                      'allocation': {'control': 50, 'variant-a': 50}}]}
          """);

  static List<String> inRollout(DynamicConfig c) {
    List<String> in = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      if (c.isFlagEnabled("rollout-flag", EvaluationContext.ofUser("user-" + i))) {
        in.add("user-" + i);
      }
    }
    return in;
  }

  @Test
  void nativeRollout_usesTheSameSetting() {
    DynamicConfig v2 = engine(null);
    load(v2, NATIVE);
    assertThat(inRollout(v2)).containsExactly("user-3", "user-11", "user-14", "user-19", "user-20");
    DynamicConfig v1 = engine(BucketingVersion.V1);
    load(v1, NATIVE);
    assertThat(inRollout(v1)).containsExactly("user-1", "user-5", "user-6", "user-7", "user-11");
    DynamicConfig v1ByDocument = engine(null);
    load(v1ByDocument, NATIVE.replace("{\"flags\"", "{\"bucketing\": \"v1\", \"flags\""));
    assertThat(inRollout(v1ByDocument))
        .containsExactly("user-1", "user-5", "user-6", "user-7", "user-11");
    // The agent's per-user entry point agrees with the context one.
    assertThat(v1.evaluateFlagForUser("rollout-flag", "user-1", false).value()).isEqualTo(true);
    assertThat(v1.evaluateFlagForUser("rollout-flag", "user-3", false).value()).isEqualTo(false);
  }

  @ParameterizedTest(name = "{0}: v1 {1}, v2 {2}")
  @CsvSource({
    "user-1,variant-a,variant-a",
    "user-2,control,variant-a",
    "user-5,control,control",
    "user-7,variant-a,control",
    "user-8,variant-a,control",
    "user-12,control,control"
  })
  void abTest_usesTheSameSetting(String user, String v1, String v2) {
    DynamicConfig legacy = engine(BucketingVersion.V1);
    load(legacy, NATIVE);
    assertThat(legacy.getVariant("exp", user).id()).isEqualTo(v1);
    DynamicConfig current = engine(null);
    load(current, NATIVE);
    assertThat(current.getVariant("exp", user).id()).isEqualTo(v2);
  }

  @Test
  void nativeRolloutAndAbTest_v3_hashTheCborPairOfKeyAndUser() {
    // MurmurHash3 of the CBOR array ["rollout-flag", "user-N"] (resp. ["exp", "user-N"]) below
    // ceil(p / 100 × 2^32), computed independently
    DynamicConfig c = engine(BucketingVersion.V3);
    load(c, NATIVE);
    assertThat(inRollout(c))
        .containsExactly(
            "user-1", "user-5", "user-9", "user-10", "user-11", "user-13", "user-15", "user-17",
            "user-20");
    assertThat(c.getVariant("exp", "user-1").id()).isEqualTo("control");
    for (String user : new String[] {"user-2", "user-5", "user-7", "user-8", "user-12"}) {
      assertThat(c.getVariant("exp", user).id()).as(user).isEqualTo("variant-a");
    }
  }

  @Test
  void nativeRollout_v1_fullAndEmptyRolloutsStayAllOrNothing() {
    DynamicConfig c = engine(BucketingVersion.V1);
    load(
        c,
        q(
            """
            {'flags': [{'key': 'all', 'rolloutPercentage': 100},
                       {'key': 'none', 'rolloutPercentage': 0}]}
            """));
    for (int i = 0; i < 200; i++) {
      assertThat(c.isFlagEnabled("all", EvaluationContext.ofUser("u" + i))).isTrue();
      assertThat(c.isFlagEnabled("none", EvaluationContext.ofUser("u" + i))).isFalse();
    }
  }

  @Test
  void unknownBucketingSetting_rejectsTheDocument_namingIt() {
    DynamicConfig c = engine(null);
    assertThat(offer(c, testbedFlags("v9"))).isEqualTo(OfferResult.REJECTED);
    assertThat(c.getState().lastError()).contains("bucketing: \"v9\" must be \"v1\"");
    assertThat(offer(c, q("{'bucketing': 2, 'flags': []}"))).isEqualTo(OfferResult.REJECTED);
  }

  @Test
  void option_defaultsToV2_andParsesLabels() {
    assertThat(DynamicConfigOptions.defaults().bucketing()).isEqualTo(BucketingVersion.V2);
    assertThat(BucketingVersion.parse("V1")).isEqualTo(BucketingVersion.V1);
    assertThat(BucketingVersion.parse("v2")).isEqualTo(BucketingVersion.V2);
    assertThat(BucketingVersion.parse("v3")).isEqualTo(BucketingVersion.V3);
    assertThat(BucketingVersion.parse("v4")).isNull();
  }
}
