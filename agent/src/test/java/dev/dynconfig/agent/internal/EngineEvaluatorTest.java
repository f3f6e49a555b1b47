package dev.dynconfig.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.bootstrap.ToggleConstant;
import dev.dynconfig.internal.source.SourceSink;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The agent's questions, answered by a real engine through its one door ({@code contextNeeds}). */
class EngineEvaluatorTest {
  static final String DOC =
      """
      {"version": 1, "flags": [
        {"key": "static-on", "defaultValue": true},
        {"key": "rollout", "defaultValue": false, "rolloutPercentage": 50},
        {"key": "targeted", "defaultValue": false, "rolloutPercentage": 10,
         "targeting": {"==": [{"var": "plan"}, "premium"]}}]}
      """;

  final DynamicConfig engine = DynamicConfig.create(DynamicConfigOptions.defaults());
  final Evaluator evaluator = Evaluator.of(engine);

  void load(String json) {
    assertThat(engine.sink().offer(json.getBytes(StandardCharsets.UTF_8), -1, "test.json"))
        .isEqualTo(SourceSink.OfferResult.APPLIED);
  }

  @Test
  void eachFlag_needsWhatItsShapeReads_andOnlyConstantFlagsGetAToggleConstant() {
    load(DOC);
    assertThat(evaluator.contextNeeds("static-on")).isEqualTo(Evaluator.Needs.NOTHING);
    assertThat(evaluator.contextNeeds("rollout")).isEqualTo(Evaluator.Needs.BUCKETING_KEY);
    assertThat(evaluator.contextNeeds("targeted")).isEqualTo(Evaluator.Needs.EVERYTHING);
    assertThat(evaluator.contextNeeds("missing")).isEqualTo(Evaluator.Needs.NOTHING);

    assertThat(evaluator.toggleConstant("static-on", false).enabled()).isTrue();
    assertThat(evaluator.toggleConstant("missing", true).enabled()).as("the code default").isTrue();
    assertThat(evaluator.toggleConstant("rollout", false)).isNull();
    assertThat(evaluator.toggleConstant("targeted", false)).isNull();

    assertThat(evaluator.hasFlag("static-on")).isTrue();
    assertThat(evaluator.hasFlag("missing")).isFalse();
    assertThat(evaluator.usesBucketing("rollout")).isTrue();
    assertThat(evaluator.usesBucketing("targeted")).isTrue();
    assertThat(evaluator.usesBucketing("static-on")).isFalse();
  }

  @Test
  void anOverride_makesAnyFlagConstant_andDefined_andNotBucketed_untilRemoved() {
    load(DOC);
    AtomicInteger swaps = new AtomicInteger();
    evaluator.onSnapshotSwap(swaps::incrementAndGet);
    engine.setOverride("targeted", true);
    engine.setOverride("missing", false);
    assertThat(swaps).hasValue(2);
    assertThat(evaluator.contextNeeds("targeted")).isEqualTo(Evaluator.Needs.NOTHING);
    assertThat(evaluator.usesBucketing("targeted")).isFalse();
    assertThat(evaluator.hasFlag("missing")).isTrue();
    ToggleConstant constant = evaluator.toggleConstant("targeted", false);
    assertThat(constant.enabled()).isTrue();
    assertThat(evaluator.flag("targeted", EvaluationContext.empty(), false)).isTrue();

    engine.removeOverride("targeted");
    assertThat(evaluator.contextNeeds("targeted")).isEqualTo(Evaluator.Needs.EVERYTHING);
  }

  @Test
  void aConstantsUse_countsAsAnEvaluation() {
    load(DOC);
    ToggleConstant constant = evaluator.toggleConstant("static-on", false);
    assertThat(constant.use()).isTrue();
    assertThat(constant.use()).isTrue();
    assertThat(engine.introspection().flagCounts("static-on").trueCount()).isEqualTo(2);
  }
}
