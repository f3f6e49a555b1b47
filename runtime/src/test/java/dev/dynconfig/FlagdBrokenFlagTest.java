package dev.dynconfig;

import static dev.dynconfig.Docs.load;
import static dev.dynconfig.Docs.offer;
import static dev.dynconfig.Docs.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynconfig.internal.document.DocumentParser;
import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.internal.source.SourceSink.OfferResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * flagd documents degrade per flag, as flagd does: a flag whose targeting does not compile is
 * served as PARSE_ERROR and every other flag of the file works. Native documents, and flagd
 * documents with structural problems, are still accepted whole or rejected whole.
 */
class FlagdBrokenFlagTest {
  static final String ONE_BROKEN =
      q(
          """
          {'metadata': {'flagSetId': 'shop'},
           'flags': {
             'good': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
                      'defaultVariant': 'off',
                      'targeting': {'if': [{'==': [{'var': 'plan'}, 'pro']}, 'on', null]}},
             'unknown-operator': {'state': 'ENABLED', 'variants': {'one': 1, 'two': 2},
                                  'defaultVariant': 'two', 'metadata': {'owner': 'web'},
                                  'targeting': {'invalid': ['this is not valid targeting']}},
             'missing-evaluator': {'state': 'ENABLED', 'variants': {'hit': 'hit', 'miss': 'miss'},
                                   'defaultVariant': 'miss',
                                   'targeting': {'if': [{'$ref': 'nonexistent_evaluator'}, 'hit', 'miss']}},
             'uses-good-evaluator': {'state': 'ENABLED', 'variants': {'hi': 'hi', 'bye': 'bye'},
                                     'defaultVariant': 'bye',
                                     'targeting': {'if': [{'$ref': 'is_ballmer'}, 'hi', 'bye']}}
           },
           '$evaluators': {'is_ballmer': {'==': ['ballmer@macrosoft.com', {'var': 'email'}]}}}
          """);

  final DynamicConfig config = DynamicConfig.create(DynamicConfigOptions.builder().build());

  static EvaluationContext ctx(String key, Object value) {
    return EvaluationContext.builder().userId("u1").attribute(key, value).build();
  }

  @Test
  void oneBrokenFlag_doesNotTakeTheFileDown_everyOtherFlagEvaluates() {
    load(config, ONE_BROKEN);
    FlagEvaluation good = config.evaluateFlag("good", ctx("plan", "pro"), false);
    assertThat(good.value()).isEqualTo(true);
    assertThat(good.reason()).isEqualTo(Reason.TARGETING_MATCH);
    assertThat(
            config
                .evaluateFlag("uses-good-evaluator", ctx("email", "ballmer@macrosoft.com"), "x")
                .value())
        .isEqualTo("hi");
  }

  @Test
  void brokenFlag_servesCallersDefault_asParseError_namingPathAndProblem() {
    load(config, ONE_BROKEN);
    FlagEvaluation r = config.evaluateFlag("unknown-operator", ctx("plan", "pro"), 3L);
    assertThat(r.value()).isEqualTo(3L);
    assertThat(r.reason()).isEqualTo(Reason.ERROR);
    assertThat(r.errorCode()).isEqualTo(ErrorCode.PARSE_ERROR);
    assertThat(r.variant()).isNull();
    assertThat(r.errorMessage())
        .contains("flags.unknown-operator.targeting")
        .contains("\"invalid\" is not a known operator");
    assertThat(r.metadata()).isEqualTo(Map.of("flagSetId", "shop", "owner", "web"));

    FlagEvaluation ref = config.evaluateFlag("missing-evaluator", ctx("plan", "pro"), "fallback");
    assertThat(ref.value()).isEqualTo("fallback");
    assertThat(ref.errorCode()).isEqualTo(ErrorCode.PARSE_ERROR);
    assertThat(ref.errorMessage())
        .contains("flags.missing-evaluator.targeting.if[0].$ref")
        .contains("refers to an evaluator that is not defined in $evaluators");
    // Without a caller default, and as a boolean check.
    assertThat(config.evaluateFlag("unknown-operator", ctx("plan", "pro")).errorCode())
        .isEqualTo(ErrorCode.PARSE_ERROR);
    assertThat(config.isFlagEnabled("unknown-operator", ctx("plan", "pro"))).isFalse();
  }

  @Test
  void loading_warnsOncePerBrokenFlag() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      load(config, ONE_BROKEN);
      assertThat(offer(config, ONE_BROKEN)).isEqualTo(OfferResult.UNCHANGED);
      config.evaluateFlag("unknown-operator", ctx("plan", "pro"), 3L);
      config.evaluateFlag("unknown-operator", ctx("plan", "pro"), 3L);
    } finally {
      System.setErr(err);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log.lines().filter(l -> l.contains("WARN")).toList())
        .hasSize(2)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("flag 'unknown-operator' is broken")
                    .contains("flags.unknown-operator.targeting"))
        .anySatisfy(l -> assertThat(l).contains("flag 'missing-evaluator' is broken"));
  }

  @Test
  void structurallyBrokenFlagdFile_isStillRejectedWhole_lastGoodKeepsServing() {
    load(config, ONE_BROKEN);
    String noVariants =
        q(
            """
            {'flags': {'good': {'state': 'ENABLED', 'variants': {'on': true}, 'defaultVariant': 'on'},
                       'bad': {'state': 'ENABLED', 'defaultVariant': 'on'}}}
            """);
    assertThat(offer(config, noVariants)).isEqualTo(OfferResult.REJECTED);
    assertThat(config.getState().lastError()).contains("flags.bad.variants: is missing");
    assertThat(offer(config, "{'flags': [1, 2".replace('\'', '"'))).isEqualTo(OfferResult.REJECTED);
    assertThat(offer(config, "{\"flags\": 5}")).isEqualTo(OfferResult.REJECTED);
    assertThat(config.evaluateFlag("good", ctx("plan", "pro"), false).value()).isEqualTo(true);
  }

  @Test
  void nativeFileWithABrokenRule_isStillRejectedWhole() {
    String nativeDoc =
        q(
            """
            {'flags': [{'key': 'fine', 'defaultValue': true},
                       {'key': 'bad', 'targeting': {'invalid': [1]}}]}
            """);
    assertThat(offer(config, nativeDoc)).isEqualTo(OfferResult.REJECTED);
    assertThat(config.getState().lastError()).contains("flags[1].targeting");
    assertThat(config.evaluateFlag("fine", ctx("plan", "pro")).errorCode())
        .isEqualTo(ErrorCode.FLAG_NOT_FOUND);
  }

  @Test
  void strictParse_stillReportsEveryProblem_brokenTargetingIncluded() {
    assertThatThrownBy(
            () -> DocumentParser.parse(ONE_BROKEN.getBytes(StandardCharsets.UTF_8), "f.json"))
        .isInstanceOf(DocumentException.class)
        .satisfies(
            e ->
                assertThat(((DocumentException) e).problems())
                    .extracting(DocumentException.Problem::path)
                    .containsExactly(
                        "flags.unknown-operator.targeting",
                        "flags.missing-evaluator.targeting.if[0].$ref"));
  }

  @Test
  void brokenEvaluator_breaksOnlyTheFlagsThatUseIt() throws Exception {
    String doc =
        q(
            """
            {'flags': {
               'uses-it': {'state': 'ENABLED', 'variants': {'a': 'a', 'b': 'b'}, 'defaultVariant': 'a',
                           'targeting': {'if': [{'$ref': 'broken'}, 'b', 'a']}},
               'plain': {'state': 'ENABLED', 'variants': {'a': 'a', 'b': 'b'}, 'defaultVariant': 'b'}},
             '$evaluators': {'broken': {'nope': [1]}}}
            """);
    assertThat(DocumentParser.load(doc.getBytes(StandardCharsets.UTF_8), "f.json").brokenFlags())
        .containsOnlyKeys("uses-it");
    load(config, doc);
    assertThat(config.evaluateFlag("plain", ctx("plan", "pro"), "x").value()).isEqualTo("b");
    FlagEvaluation r = config.evaluateFlag("uses-it", ctx("plan", "pro"), "x");
    assertThat(r.errorCode()).isEqualTo(ErrorCode.PARSE_ERROR);
    assertThat(r.errorMessage()).contains("$evaluators.broken");
  }
}
