package dev.dynconfig;

import static dev.dynconfig.Docs.load;
import static dev.dynconfig.Docs.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.internal.document.DocumentParser;
import dev.dynconfig.internal.json.DocumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A rule that would build gigabytes or run for ever: refused when the document's own constants show
 * it, stopped as an error (caller's default, reason ERROR) when the caller's data drives it.
 */
class EvaluationBoundsTest {
  static final String DOUBLING =
      "{'reduce': [%s, {'cat': [{'var': 'accumulator'}, {'var': 'accumulator'}]}, 'ab']}";

  static String range(int n) {
    return IntStream.range(0, n)
        .mapToObj(Integer::toString)
        .collect(Collectors.joining(",", "[", "]"));
  }

  @Test
  void theDoublingRuleOverItsOwnConstants_isRefusedWithPathAndReason() {
    String doc =
        q(
            "{'flags': {'f': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},"
                + " 'defaultVariant': 'off', 'targeting': "
                + String.format(DOUBLING, range(40))
                + "}}}");
    try {
      DocumentParser.parse(doc, "flags.json");
      throw new AssertionError("accepted");
    } catch (DocumentException e) {
      assertThat(e.problems()).hasSize(1);
      assertThat(e.problems().get(0).path())
          .contains("flags")
          .contains("targeting")
          .contains("reduce");
      assertThat(e.problems().get(0).reason()).contains("exceeds the evaluation limits");
    }
  }

  @Test
  void theDoublingRuleOverTheCallersData_servesTheDefaultWithReasonError() {
    DynamicConfig config = DynamicConfig.create(DynamicConfigOptions.builder().build());
    load(
        config,
        q(
            "{'flags': {'f': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},"
                + " 'defaultVariant': 'off', 'targeting': {'if': [{'==': ["
                + String.format(DOUBLING, "{'var': 'xs'}")
                + ", 'x']}, 'on', null]}}}}"));
    List<Integer> xs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      xs.add(i);
    }
    EvaluationContext hostile = EvaluationContext.builder().attribute("xs", xs).build();
    FlagEvaluation r = config.evaluateFlag("f", hostile, true);
    assertThat(r.reason()).isEqualTo(Reason.ERROR);
    assertThat(r.value()).isEqualTo(true);
    assertThat(r.errorMessage()).contains("characters");
    // The same flag with a harmless list evaluates as usual.
    EvaluationContext fine = EvaluationContext.builder().attribute("xs", List.of(1)).build();
    assertThat(config.evaluateFlag("f", fine, true).reason()).isNotEqualTo(Reason.ERROR);
    config.close();
  }
}
