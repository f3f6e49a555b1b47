package dev.dynconfig;

import static dev.dynconfig.Docs.load;
import static dev.dynconfig.Docs.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.internal.engine.ContextNeeds;
import dev.dynconfig.internal.engine.ContextNeeds.Need;
import dev.dynconfig.internal.engine.EngineIntrospection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent's door into the engine ({@link EngineIntrospection#contextNeeds}): for every flag shape
 * it says what of the context the result depends on, and what it says holds: a constant is what
 * every context gets, and a bucketing-key flag gives every context with that key the same result.
 */
class ContextNeedsTest {
  static final String NATIVE =
      q(
          """
          {'version': 1, 'roles': ['user', 'admin'], 'flags': [
            {'key': 'static-on', 'defaultValue': true},
            {'key': 'zero-rollout', 'defaultValue': false, 'rolloutPercentage': 0},
            {'key': 'rollout', 'defaultValue': false, 'rolloutPercentage': 50},
            {'key': 'attribute', 'defaultValue': false,
             'targeting': {'==': [{'var': 'plan'}, 'premium']}},
            {'key': 'attribute-rollout', 'defaultValue': false, 'rolloutPercentage': 50,
             'targeting': {'==': [{'var': 'plan'}, 'premium']}},
            {'key': 'rule', 'defaultValue': false, 'targeting': {'in': ['beta', {'var': 'tags'}]}},
            {'key': 'environments', 'defaultValue': true, 'environments': ['production']},
            {'key': 'role', 'defaultValue': true, 'minRole': 'admin'},
            {'key': 'expiring', 'defaultValue': true, 'expiresAt': '2999-01-01T00:00:00Z'}]}
          """);

  static final String FLAGD =
      q(
          """
          {'flags': {
            'color': {'state': 'ENABLED', 'variants': {'red': 'red', 'blue': 'blue'},
                      'defaultVariant': 'blue'},
            'off': {'state': 'DISABLED', 'variants': {'on': true, 'off': false},
                    'defaultVariant': 'on',
                    'targeting': {'if': [{'==': [{'var': 'plan'}, 'pro']}, 'off', null]}},
            'targeted': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
                         'defaultVariant': 'off',
                         'targeting': {'if': [{'in': ['pro', {'var': 'plans'}]}, 'on', null]}},
            'broken': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
                       'defaultVariant': 'off', 'targeting': {'invalid': ['not an operator']}}}}
          """);

  final DynamicConfig config =
      DynamicConfig.create(DynamicConfigOptions.builder().environment("staging").build());
  final EngineIntrospection engine = config.introspection();

  /** Contexts that differ in everything a flag may read. */
  static final List<EvaluationContext> CONTEXTS =
      List.of(
          EvaluationContext.empty(),
          EvaluationContext.ofUser("u1"),
          EvaluationContext.ofUser("u2"),
          EvaluationContext.builder()
              .userId("u3")
              .environment("production")
              .userRole("admin")
              .attribute("plan", "premium")
              .attribute("plans", List.of("pro"))
              .attribute("tags", List.of("beta"))
              .build());

  ContextNeeds needs(String key, Object callerDefault) {
    return engine.contextNeeds(key, callerDefault);
  }

  /** The constant is what every context gets, for this caller default. */
  void assertConstantForEveryContext(String key, Object callerDefault) {
    ContextNeeds n = needs(key, callerDefault);
    assertThat(n.need()).as(key).isEqualTo(Need.NOTHING);
    for (EvaluationContext c : CONTEXTS) {
      assertThat(n.constant().result())
          .as(key)
          .isEqualTo(config.evaluateFlag(key, c, callerDefault));
    }
  }

  @Test
  void nativeFlagWithoutConditions_needsNothing_andItsConstantIsTheEvaluation() {
    load(config, NATIVE);
    for (String key : List.of("static-on", "zero-rollout")) {
      assertConstantForEveryContext(key, false);
      assertConstantForEveryContext(key, null);
      assertThat(needs(key, false).defined()).isTrue();
    }
    assertThat(needs("static-on", false).bucketed()).isFalse();
    assertThat(needs("zero-rollout", false).bucketed())
        .as("a rollout, even at 0 %, makes a keyless call anonymous")
        .isTrue();
  }

  @Test
  void plainRollout_needsTheBucketingKeyOnly_andOtherContextPartsChangeNothing() {
    load(config, NATIVE);
    ContextNeeds n = needs("rollout", false);
    assertThat(n.need()).isEqualTo(Need.BUCKETING_KEY);
    assertThat(n.constant()).isNull();
    assertThat(n.defined()).isTrue();
    assertThat(n.bucketed()).isTrue();
    int on = 0;
    for (int i = 0; i < 40; i++) {
      String user = "user-" + i;
      FlagEvaluation byKey = config.evaluateFlagForUser("rollout", user, false);
      EvaluationContext full =
          EvaluationContext.builder()
              .userId(user)
              .environment("production")
              .userRole("admin")
              .attribute("plan", "premium")
              .build();
      assertThat(config.evaluateFlag("rollout", full, false)).as(user).isEqualTo(byKey);
      on += byKey.enabled() ? 1 : 0;
    }
    assertThat(on).as("the key decides: some users are in, some out").isBetween(1, 39);
  }

  @Test
  void targetingEnvironmentsRoleAndExpiry_needTheFullContext_withoutConstant() {
    load(config, NATIVE);
    for (String key :
        List.of("attribute", "attribute-rollout", "rule", "environments", "role", "expiring")) {
      ContextNeeds n = needs(key, false);
      assertThat(n.need()).as(key).isEqualTo(Need.FULL_CONTEXT);
      assertThat(n.constant()).as(key).isNull();
      assertThat(n.defined()).as(key).isTrue();
    }
    assertThat(needs("attribute-rollout", false).bucketed()).isTrue();
    assertThat(needs("attribute", false).bucketed()).isFalse();
  }

  @Test
  void unknownFlag_needsNothing_isNotDefined_andItsConstantIsTheCallersDefault() {
    load(config, NATIVE);
    ContextNeeds n = needs("nope", true);
    assertThat(n.defined()).isFalse();
    assertThat(n.bucketed()).isFalse();
    assertThat(n.constant().result().value()).isEqualTo(true);
    assertThat(n.constant().result().errorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    assertConstantForEveryContext("nope", true);
    assertConstantForEveryContext("nope", "text");
  }

  @Test
  void override_needsNothing_whateverTheFlagChecks_evenForAnUnknownKey() {
    load(config, NATIVE);
    config.setOverride("rollout", true);
    config.setOverride("role", false);
    config.setOverride("nope", true);
    for (String key : List.of("rollout", "role", "nope")) {
      assertConstantForEveryContext(key, false);
      ContextNeeds n = needs(key, false);
      assertThat(n.defined()).as(key).isTrue();
      assertThat(n.bucketed()).as("an override buckets no one").isFalse();
      assertThat(n.constant().result().reason()).isEqualTo(Reason.OVERRIDE);
    }
    config.removeOverride("rollout");
    assertThat(needs("rollout", false).need()).isEqualTo(Need.BUCKETING_KEY);
  }

  @Test
  void flagRegisteredFromCode_isAnsweredByTheSameRules() {
    config.registerFlag(FeatureFlag.of("code-static", true));
    config.registerFlag(
        new FeatureFlag(
            "code-rollout", false, null, null, null, null, 30.0, null, null, null, null));
    assertConstantForEveryContext("code-static", false);
    assertThat(needs("code-rollout", false).need()).isEqualTo(Need.BUCKETING_KEY);
  }

  @Test
  void flagdFlags_withoutTargetingOrDisabledOrBroken_needNothing_targetedNeedTheContext() {
    load(config, FLAGD);
    assertConstantForEveryContext("color", "green");
    assertThat(needs("color", "green").constant().result().value()).isEqualTo("blue");
    assertConstantForEveryContext("off", true);
    assertThat(needs("off", true).constant().result().reason()).isEqualTo(Reason.DISABLED);
    assertConstantForEveryContext("broken", true);
    assertThat(needs("broken", true).constant().result().errorCode())
        .isEqualTo(ErrorCode.PARSE_ERROR);

    ContextNeeds targeted = needs("targeted", false);
    assertThat(targeted.need()).isEqualTo(Need.FULL_CONTEXT);
    assertThat(targeted.constant()).isNull();
    assertThat(targeted.defined()).isTrue();
    for (String key : List.of("color", "off", "targeted", "broken")) {
      assertThat(needs(key, null).bucketed()).as(key).isFalse();
    }
  }

  @Test
  void answer_followsTheSnapshot_aReloadChangesIt() {
    load(config, NATIVE);
    assertThat(needs("rollout", false).need()).isEqualTo(Need.BUCKETING_KEY);
    load(config, q("{'version': 2, 'flags': [{'key': 'rollout', 'defaultValue': true}]}"));
    assertConstantForEveryContext("rollout", false);
    assertThat(needs("attribute", false).defined()).isFalse();
  }
}
