package dev.dynconfig;

import static dev.dynconfig.Docs.load;
import static dev.dynconfig.Docs.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.testing.MutableClock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The native boolean evaluation order and flagd semantics, step by step. */
class EvaluationTest {
  final MutableClock clock = new MutableClock("2026-06-01T00:00:00Z");
  DynamicConfig config;

  static final String DOC =
      q(
          """
          {'version': 1, 'roles': ['viewer', 'user', 'admin'],
           'flags': [
             {'key': 'plain', 'defaultValue': true, 'variant': 'v1'},
             {'key': 'expiring', 'defaultValue': true, 'rolloutPercentage': 100,
              'expiresAt': '2026-07-01T00:00:00Z'},
             {'key': 'staging-only', 'defaultValue': false, 'environments': ['staging'],
              'rolloutPercentage': 100},
             {'key': 'users-up', 'minRole': 'user', 'rolloutPercentage': 100},
             {'key': 'premium', 'targeting': {'==': [{'var': 'plan'}, 'premium']}, 'variant': 'p'},
             {'key': 'half', 'rolloutPercentage': 50},
             {'key': 'none', 'rolloutPercentage': 0, 'defaultValue': false}
           ]}
          """);

  @BeforeEach
  void setUp() {
    config =
        DynamicConfig.create(
            DynamicConfigOptions.builder().environment("production").clock(clock).build());
    load(config, DOC);
  }

  static EvaluationContext user(String id) {
    return EvaluationContext.ofUser(id);
  }

  @Test
  void step1_override_winsOverEverything_evenForUnknownKeys() {
    clock.set("2030-01-01T00:00:00Z"); // 'expiring' would be expired
    config.setOverride("expiring", false);
    config.setOverride("nowhere", true);

    assertThat(config.evaluateFlag("expiring", user("u1")))
        .isEqualTo(new FlagEvaluation(false, Reason.OVERRIDE, null, null, null));
    assertThat(config.evaluateFlag("nowhere", user("u1")).reason()).isEqualTo(Reason.OVERRIDE);
    assertThat(config.isFlagEnabled("nowhere", user("u1"))).isTrue();
  }

  @Test
  void step2_unknownKey_servesCallerDefault_withFlagNotFound() {
    FlagEvaluation r = config.evaluateFlag("missing", user("u1"), true);
    assertThat(r.value()).isEqualTo(true);
    assertThat(r.reason()).isEqualTo(Reason.DEFAULT);
    assertThat(r.errorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    assertThat(config.isFlagEnabled("missing", user("u1"))).isFalse();
    assertThat(config.evaluateFlag("missing", user("u1")).value()).isNull();
  }

  @Test
  void step3_expiredFlag_servesDefaultValue_fromExpiresAtOn() {
    assertThat(config.evaluateFlag("expiring", user("u1")).reason()).isEqualTo(Reason.ROLLOUT);
    clock.set("2026-07-01T00:00:00Z");
    assertThat(config.evaluateFlag("expiring", user("u1")))
        .isEqualTo(new FlagEvaluation(true, Reason.EXPIRED, null, null, null));
  }

  @Test
  void step3_expiresAtBeyondTheEpochMillisRange_meansNeverOrAlwaysExpired() {
    load(
        config,
        q(
            "{'flags': [{'key': 'far', 'defaultValue': false, 'rolloutPercentage': 100,"
                + " 'expiresAt': '+300000000-01-01T00:00:00Z'},"
                + " {'key': 'long-ago', 'defaultValue': false, 'rolloutPercentage': 100,"
                + " 'expiresAt': '-300000000-01-01T00:00:00Z'}]}"));
    assertThat(config.evaluateFlag("far", user("u1")).reason()).isEqualTo(Reason.ROLLOUT);
    assertThat(config.evaluateFlag("long-ago", user("u1")).reason()).isEqualTo(Reason.EXPIRED);
  }

  @Test
  void step4_otherEnvironment_servesDefault_andContextEnvironmentWins() {
    assertThat(config.evaluateFlag("staging-only", user("u1")))
        .isEqualTo(new FlagEvaluation(false, Reason.DEFAULT, null, null, null));
    EvaluationContext staging =
        EvaluationContext.builder().userId("u1").environment("staging").build();
    assertThat(config.evaluateFlag("staging-only", staging).reason()).isEqualTo(Reason.ROLLOUT);
  }

  @Test
  void step4_engineEnvironment_isUsedWhenContextHasNone() {
    DynamicConfig stagingEngine =
        DynamicConfig.create(DynamicConfigOptions.builder().environment("staging").build());
    load(stagingEngine, DOC);
    assertThat(stagingEngine.isFlagEnabled("staging-only", user("u1"))).isTrue();
  }

  @Test
  void step5_minRole_requiresRankAtLeastTheMinimum() {
    assertThat(config.evaluateFlag("users-up", role("viewer")).reason()).isEqualTo(Reason.DEFAULT);
    assertThat(config.evaluateFlag("users-up", role(null)).reason()).isEqualTo(Reason.DEFAULT);
    assertThat(config.evaluateFlag("users-up", role("pirate")).reason()).isEqualTo(Reason.DEFAULT);
    assertThat(config.evaluateFlag("users-up", role("user")).reason()).isEqualTo(Reason.ROLLOUT);
    assertThat(config.evaluateFlag("users-up", role("admin")).reason()).isEqualTo(Reason.ROLLOUT);
  }

  static EvaluationContext role(String role) {
    return EvaluationContext.builder().userId("u1").userRole(role).build();
  }

  @Test
  void step6_targetingMatch_turnsFlagOn_withItsVariant() {
    EvaluationContext premium =
        EvaluationContext.builder().userId("u1").attribute("plan", "premium").build();
    EvaluationContext basic =
        EvaluationContext.builder().userId("u1").attribute("plan", "basic").build();
    assertThat(config.evaluateFlag("premium", premium))
        .isEqualTo(new FlagEvaluation(true, Reason.TARGETING, "p", null, null));
    assertThat(config.evaluateFlag("premium", basic))
        .isEqualTo(new FlagEvaluation(false, Reason.DEFAULT, "p", null, null));
    assertThat(config.evaluateFlag("premium", EvaluationContext.empty()).reason())
        .isEqualTo(Reason.DEFAULT);
  }

  @Test
  void step7_rollout_includesAboutItsShare_andNeedsABucketingKey() {
    int in = 0;
    for (int i = 0; i < 10_000; i++) {
      if (config.evaluateFlag("half", user("user-" + i)).reason() == Reason.ROLLOUT) {
        in++;
      }
    }
    assertThat(in).isBetween(4_700, 5_300);
    assertThat(config.evaluateFlag("half", EvaluationContext.empty()).reason())
        .isEqualTo(Reason.DEFAULT);
    EvaluationContext session = EvaluationContext.builder().sessionId("s-1").build();
    EvaluationContext sameAsUser = EvaluationContext.builder().targetingKey("s-1").build();
    assertThat(config.evaluateFlag("half", session))
        .isEqualTo(config.evaluateFlag("half", sameAsUser));
    assertThat(config.evaluateFlag("none", user("u1")).reason()).isEqualTo(Reason.DEFAULT);
  }

  @Test
  void step7_rollout_isMonotonic_whenRaised() {
    DynamicConfig other = DynamicConfig.create(DynamicConfigOptions.defaults());
    boolean[] wasIn = new boolean[2_000];
    for (int p = 0; p <= 100; p += 10) {
      load(other, q("{'flags': [{'key': 'r', 'rolloutPercentage': " + p + "}]}"));
      for (int i = 0; i < wasIn.length; i++) {
        boolean in = other.isFlagEnabled("r", user("user-" + i));
        assertThat(!wasIn[i] || in).as("user-%d dropped out at %d%%", i, p).isTrue();
        wasIn[i] = in;
      }
    }
    assertThat(wasIn).containsOnly(true);
  }

  @Test
  void step8_nothingApplies_servesDefaultValue_withVariant() {
    assertThat(config.evaluateFlag("plain", user("u1")))
        .isEqualTo(new FlagEvaluation(true, Reason.DEFAULT, "v1", null, null));
  }

  @Test
  void nativeFlag_withNonBooleanCallerDefault_isTypeMismatch() {
    FlagEvaluation r = config.evaluateFlag("plain", user("u1"), "yes");
    assertThat(r.value()).isEqualTo("yes");
    assertThat(r.reason()).isEqualTo(Reason.ERROR);
    assertThat(r.errorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
  }

  @Test
  void nullContext_isTreatedAsEmpty() {
    assertThat(config.evaluateFlag("plain", null).value()).isEqualTo(true);
    assertThat(config.evaluateFlag(null, null).errorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
  }

  // ---------------------------------------------------------------- flagd

  static final String FLAGD =
      q(
          """
          {'flags': {
            'static-color': {'state': 'ENABLED', 'variants': {'red': '#f00', 'blue': '#00f'},
                             'defaultVariant': 'blue'},
            'disabled': {'state': 'DISABLED', 'variants': {'on': true, 'off': false},
                         'defaultVariant': 'on'},
            'no-default': {'state': 'ENABLED', 'variants': {'on': true, 'off': false}},
            'targeted': {'state': 'ENABLED', 'variants': {'small': 1, 'big': 100},
                         'defaultVariant': 'small',
                         'targeting': {'if': [{'==': [{'var': 'tier'}, 'gold']}, 'big',
                                              {'==': [{'var': 'tier'}, 'bad'] }, 'nope', null]}},
            'bool-rule': {'state': 'ENABLED', 'variants': {'true': 'yes', 'false': 'no'},
                          'defaultVariant': 'false',
                          'targeting': {'==': [{'var': '$flagd.flagKey'}, 'bool-rule']}},
            'key-rule': {'state': 'ENABLED', 'variants': {'a': 'A', 'b': 'B'}, 'defaultVariant': 'a',
                          'targeting': {'if': [{'==': [{'var': 'targetingKey'}, 'u7']}, 'b', null]}}
          }}
          """);

  @Test
  void flagd_staticFlag_servesDefaultVariant() {
    load(config, FLAGD);
    assertThat(config.evaluateFlag("static-color", user("u1"), "#000"))
        .isEqualTo(new FlagEvaluation("#00f", Reason.STATIC, "blue", null, null));
  }

  @Test
  void flagd_unknownFlag_isReasonError_flagNotFound_asOpenFeatureReportsIt() {
    load(config, FLAGD);
    FlagEvaluation r = config.evaluateFlag("no-such-flag", user("u1"), "#000");
    assertThat(r.value()).isEqualTo("#000");
    assertThat(r.reason()).isEqualTo(Reason.ERROR);
    assertThat(r.errorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    assertThat(config.evaluateFlag("no-such-flag", user("u1"), false).reason())
        .isEqualTo(Reason.ERROR);
    assertThat(config.evaluateFlag("no-such-flag", user("u1")).reason()).isEqualTo(Reason.ERROR);
    assertThat(config.isFlagEnabled("no-such-flag", user("u1"))).isFalse();
  }

  @Test
  void native_unknownFlag_keepsReasonDefault() {
    FlagEvaluation r = config.evaluateFlag("no-such-flag", user("u1"), true);
    assertThat(r.value()).isEqualTo(true);
    assertThat(r.reason()).isEqualTo(Reason.DEFAULT);
    assertThat(r.errorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
  }

  @Test
  void flagd_disabledFlag_servesCallerDefault() {
    load(config, FLAGD);
    assertThat(config.evaluateFlag("disabled", user("u1"), true))
        .isEqualTo(new FlagEvaluation(true, Reason.DISABLED, null, null, null));
    assertThat(config.isFlagEnabled("disabled", user("u1"))).isFalse();
  }

  @Test
  void flagd_withoutDefaultVariant_servesCallerDefault() {
    load(config, FLAGD);
    assertThat(config.evaluateFlag("no-default", user("u1"), true))
        .isEqualTo(new FlagEvaluation(true, Reason.DEFAULT, null, null, null));
  }

  @Test
  void flagd_targeting_choosesVariant_orFallsBackToDefaultVariant() {
    load(config, FLAGD);
    EvaluationContext gold = EvaluationContext.builder().attribute("tier", "gold").build();
    EvaluationContext plain = EvaluationContext.builder().attribute("tier", "iron").build();
    assertThat(config.evaluateFlag("targeted", gold, 0))
        .isEqualTo(new FlagEvaluation(100L, Reason.TARGETING_MATCH, "big", null, null));
    assertThat(config.evaluateFlag("targeted", plain, 0))
        .isEqualTo(new FlagEvaluation(1L, Reason.DEFAULT, "small", null, null));
  }

  @Test
  void flagd_targetingNamingUnknownVariant_isGeneralError() {
    load(config, FLAGD);
    EvaluationContext bad = EvaluationContext.builder().attribute("tier", "bad").build();
    FlagEvaluation r = config.evaluateFlag("targeted", bad, 5);
    assertThat(r.value()).isEqualTo(5);
    assertThat(r.reason()).isEqualTo(Reason.ERROR);
    assertThat(r.errorCode()).isEqualTo(ErrorCode.GENERAL);
    assertThat(r.errorMessage()).contains("\"nope\"");
  }

  @Test
  void flagd_callerDefaultOfOtherType_isTypeMismatch() {
    load(config, FLAGD);
    FlagEvaluation r = config.evaluateFlag("static-color", user("u1"), 42);
    assertThat(r.value()).isEqualTo(42);
    assertThat(r.errorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(config.isFlagEnabled("static-color", user("u1"))).isFalse();
  }

  @Test
  void flagd_booleanRuleResult_namesTrueOrFalseVariant_andSeesFlagdProperties() {
    load(config, FLAGD);
    assertThat(config.evaluateFlag("bool-rule", user("u1"), "x"))
        .isEqualTo(new FlagEvaluation("yes", Reason.TARGETING_MATCH, "true", null, null));
  }

  @Test
  void flagd_targetingKey_isTheBucketingKey() {
    load(config, FLAGD);
    assertThat(config.evaluateFlag("key-rule", user("u7")).value()).isEqualTo("B");
    assertThat(config.evaluateFlag("key-rule", user("u8")).value()).isEqualTo("A");
  }

  @Test
  void flagd_objectVariant_isServedAsMap() {
    load(
        config,
        q(
            "{'flags': {'o': {'state': 'ENABLED', 'variants': {'x': {'a': 1}}, 'defaultVariant': 'x'}}}"));
    assertThat(config.evaluateFlag("o", user("u1"), Map.of()).value()).isEqualTo(Map.of("a", 1L));
  }
}
