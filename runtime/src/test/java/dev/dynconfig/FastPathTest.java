package dev.dynconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine's inline fast path (static, rollout, attribute == string) answers exactly as the
 * general JsonLogic path does, whatever form the context and the key take.
 */
class FastPathTest {
  static final String DOC =
      Docs.q(
          """
          {'flags': [
            {'key': 'static', 'defaultValue': true},
            {'key': 'rule', 'targeting': {'==': [{'var': 'plan'}, '1']}},
            {'key': 'strict', 'targeting': {'===': ['premium', {'var': ['plan']}]}},
            {'key': 'rule-or-rollout', 'targeting': {'==': [{'var': 'plan'}, 'premium']},
             'rolloutPercentage': 100}
          ]}
          """);

  private static DynamicConfig engine() {
    DynamicConfig config = DynamicConfig.create(DynamicConfigOptions.defaults());
    Docs.load(config, DOC);
    return config;
  }

  @Test
  void attributeRule_followsJsonLogicLooseEquality_forNonStringValues() {
    DynamicConfig config = engine();
    // "1" == 1 is true in JsonLogic: a number must not be compared as a string.
    assertThat(config.isFlagEnabled("rule", ctx("plan", 1L))).isTrue();
    assertThat(config.isFlagEnabled("rule", ctx("plan", 2L))).isFalse();
    assertThat(config.isFlagEnabled("rule", ctx("plan", "1"))).isTrue();
    assertThat(config.isFlagEnabled("rule", ctx("plan", null))).isFalse();
    assertThat(config.isFlagEnabled("rule", EvaluationContext.ofUser("u"))).isFalse();
    assertThat(config.evaluateFlag("rule", ctx("plan", 1L)).reason()).isEqualTo(Reason.TARGETING);
  }

  @Test
  void strictEqualityWithVarOnTheRight_matchesOnlyTheString() {
    DynamicConfig config = engine();
    assertThat(config.isFlagEnabled("strict", ctx("plan", "premium"))).isTrue();
    assertThat(config.isFlagEnabled("strict", ctx("plan", "free"))).isFalse();
  }

  @Test
  void attributeRule_fallsThroughToRollout_whenTheRuleIsFalse() {
    DynamicConfig config = engine();
    assertThat(config.evaluateFlag("rule-or-rollout", ctx("plan", "free")).reason())
        .isEqualTo(Reason.ROLLOUT);
    assertThat(config.evaluateFlag("rule-or-rollout", ctx("plan", "premium")).reason())
        .isEqualTo(Reason.TARGETING);
  }

  @Test
  void keyEqualButNotIdentical_evaluatesTheSame() {
    DynamicConfig config = engine();
    String key = new String("static".toCharArray());
    assertThat(config.evaluateFlag(key, ctx("plan", "x")))
        .isEqualTo(config.evaluateFlag("static", ctx("plan", "x")));
    assertThat(config.isFlagEnabled(new String("rule".toCharArray()), ctx("plan", "1"))).isTrue();
  }

  @Test
  void everyContextForm_givesTheSameAnswer() {
    DynamicConfig config = engine();
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("plan", "premium");
    EvaluationContext[] forms = {
      EvaluationContext.builder().userId("u").attribute("plan", "premium").build(),
      EvaluationContext.of("u", null, null, null, Map.of("plan", "premium")),
      EvaluationContext.builder().userId("u").attributes(attrs).build(),
      EvaluationContext.builder().userId("u").attribute("x", 1).attribute("plan", "premium").build()
    };
    for (EvaluationContext c : forms) {
      assertThat(config.isFlagEnabled("strict", c)).as(c.toString()).isTrue();
    }
  }

  @Test
  void builderWithOneAttribute_exposesItAsAMap() {
    EvaluationContext c = ctx("plan", null);
    assertThat(c.customAttributes()).containsEntry("plan", null).hasSize(1);
    assertThat(c.hasAttribute("plan")).isTrue();
    assertThat(c.hasAttribute("other")).isFalse();
    assertThat(c.attribute("plan")).isNull();
    EvaluationContext replaced =
        EvaluationContext.builder().attribute("plan", "a").attribute("plan", "b").build();
    assertThat(replaced.customAttributes()).isEqualTo(Map.of("plan", "b"));
    EvaluationContext two = EvaluationContext.builder().attribute("a", 1).attribute("b", 2).build();
    assertThat(two.customAttributes()).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
  }

  private static EvaluationContext ctx(String name, Object value) {
    return EvaluationContext.builder().userId("user-7").attribute(name, value).build();
  }
}
