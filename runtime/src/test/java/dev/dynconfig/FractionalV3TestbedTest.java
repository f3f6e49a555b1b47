package dev.dynconfig;

import static dev.dynconfig.Docs.load;
import static dev.dynconfig.Docs.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.internal.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bucketing v3 (flagd's proposal for non-string {@code fractional} values: deterministic CBOR of
 * the bucketing value), against the flagd testbed's {@code @fractional-v3} examples
 * (open-feature/flagd-testbed gherkin/targeting.feature). The string-based flags are the testbed's
 * own (flags/custom-ops.json). {@code fractional-basic-flag}'s definition is not among the stored
 * testbed files; the one below (25 equal buckets over {@code {"var": "hashing_input"}}) is the
 * reconstruction under which every listed example holds.
 */
class FractionalV3TestbedTest {
  static final DynamicConfig V3 = DynamicConfig.create(DynamicConfigOptions.builder().build());

  static {
    StringBuilder buckets = new StringBuilder();
    StringBuilder variants = new StringBuilder();
    for (int i = 1; i <= 25; i++) {
      buckets.append(i == 1 ? "" : ", ").append("['bucket").append(i).append("', 1]");
      variants
          .append(i == 1 ? "" : ", ")
          .append("'bucket")
          .append(i)
          .append("': 'bucket")
          .append(i)
          .append("'");
    }
    load(
        V3,
        q(
            """
            {'bucketing': 'v3', 'flags': {
              'fractional-basic-flag': {'state': 'ENABLED', 'variants': {VARIANTS, 'fallback': 'fallback'},
                'defaultVariant': 'fallback',
                'targeting': {'fractional': [{'var': 'hashing_input'}, BUCKETS]}},
              'fractional-flag': {'state': 'ENABLED',
                'variants': {'clubs': 'clubs', 'diamonds': 'diamonds', 'hearts': 'hearts',
                             'spades': 'spades', 'wild': 'wild'},
                'defaultVariant': 'wild',
                'targeting': {'fractional': [
                  {'cat': [{'var': '$flagd.flagKey'}, {'var': 'user.name'}]},
                  ['clubs', 25], ['diamonds', 25], ['hearts', 25], ['spades', 25]]}},
              'fractional-flag-A-shared-seed': {'state': 'ENABLED',
                'variants': {'clubs': 'clubs', 'diamonds': 'diamonds', 'hearts': 'hearts',
                             'spades': 'spades', 'wild': 'wild'},
                'defaultVariant': 'wild',
                'targeting': {'fractional': [
                  {'cat': ['shared-seed', {'var': 'user.name'}]},
                  ['clubs', 25], ['diamonds', 25], ['hearts', 25], ['spades', 25]]}},
              'fractional-flag-shorthand': {'state': 'ENABLED',
                'variants': {'heads': 'heads', 'tails': 'tails', 'draw': 'draw'},
                'defaultVariant': 'draw',
                'targeting': {'fractional': [['heads'], ['tails', 1]]}}
            }}
            """
                .replace("VARIANTS", variants)
                .replace("BUCKETS", buckets)));
  }

  static Object basic(Object hashingInput) {
    return V3.evaluateFlag(
            "fractional-basic-flag",
            EvaluationContext.builder().attribute("hashing_input", hashingInput).build(),
            "x")
        .value();
  }

  // "Fractional operator with basic types", "... float mapping", "... zero values",
  // "... integer limits", "... floats limits" (@fractional-v3); the input is JSON
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          true                      | bucket5
          false                     | bucket1
          "user1"                   | bucket22
          "user2"                   | bucket16
          123                       | bucket20
          456                       | bucket12
          1.23                      | bucket14
          4.56                      | bucket18
          "123"                     | bucket22
          "true"                    | bucket24
          "1.23"                    | bucket4
          0                         | bucket8
          1.0                       | bucket23
          1                         | bucket23
          1.0000000000000001        | bucket23
          -2.0                      | bucket12
          -2                        | bucket12
          9007199254740992.0        | bucket10
          9007199254740992          | bucket10
          0.0                       | bucket8
          -0.0                      | bucket8
          2147483647                | bucket10
          2147483648                | bucket25
          -2147483648               | bucket8
          -2147483649               | bucket18
          9007199254740991          | bucket2
          23                        | bucket21
          24                        | bucket11
          255                       | bucket13
          256                       | bucket13
          65535                     | bucket4
          65536                     | bucket11
          4294967295                | bucket14
          4294967296                | bucket19
          -24                       | bucket4
          -25                       | bucket16
          1e20                      | bucket19
          -1e20                     | bucket25
          65504.0                   | bucket16
          -65504.0                  | bucket9
          0.00006103515625          | bucket22
          0.000000059604644775390625| bucket23
          65505.0                   | bucket17
          -65505.0                  | bucket17
          3.4028234663852886e+38    | bucket10
          -3.4028234663852886e+38   | bucket3
          1.1754943508222875e-38    | bucket24
          3.5e+38                   | bucket1
          -3.5e+38                  | bucket6
          1.7976931348623157e+308   | bucket17
          -1.7976931348623157e+308  | bucket9
          2.2250738585072014e-308   | bucket11
          4.9406564584124654e-324   | bucket2
          """)
  void scalars(String json, String bucket) throws Exception {
    assertThat(basic(Json.read(json, "input"))).isEqualTo(bucket);
  }

  // "Fractional operator with map key ordering", "... with advanced structures" (@fractional-v3)
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"a": 1, "b": 2}                                  | bucket23
          {"b": 2, "a": 1}                                  | bucket23
          {"c": 3, "a": 1, "b": 2}                          | bucket18
          {"z": 1, "aa": 2}                                 | bucket21
          {"aa": 2, "z": 1}                                 | bucket21
          {"b": 2, "a": {"b": 1}}                           | bucket9
          {"c": "text", "bbb": 1, "a": true, "dddd": 2.5}   | bucket25
          {"ÿ": 2, "aaa": 1}                                | bucket12
          {"": 2, "abc": 1}                                 | bucket25
          {"key": -0.0}                                     | bucket10
          {"key": 0}                                        | bucket10
          {"c": 0.0, "b": -0.0, "a": {"b": 1}}              | bucket8
          {"café": "façade", "b": {"résumé": {"ÿ": true}}}  | bucket22
          {}                                                | bucket3
          {"b": 2, "a": {} }                                | bucket20
          {"a": {}, "b": []}                                | bucket7
          {"c": 0.0, "a": []}                               | bucket18
          {"a": [1, [], 3], "b": null}                      | bucket3
          {"a": ["a", "b", {}], "b": [1, null, 2]}          | bucket23
          {"a": [1, "two", true, [], null]}                 | bucket23
          {"x": [{"a": 1}, {"b": 2}, {"b": null}]}          | bucket3
          {"x": [{"a": {"b": {}}}] }                        | bucket2
          {"a": [[[[null]]]] }                              | bucket7
          {"a": {"b": {"c": {"d": null}} } }                | bucket19
          """)
  void objects(String json, String bucket) throws Exception {
    assertThat(basic(Json.read(json, "input"))).isEqualTo(bucket);
  }

  // "... string length boundaries", "Valid well-formed UTF-8 String consistency" (@fractional-v3);
  // the escapes in the last three rows are the testbed's literal text (backslash, u, digits)
  @Test
  void strings() {
    assertThat(basic("")).isEqualTo("bucket4");
    assertThat(basic("a")).isEqualTo("bucket6");
    assertThat(basic("12345678901234567890123")).isEqualTo("bucket4");
    assertThat(basic("123456789012345678901234")).isEqualTo("bucket14");
    assertThat(basic("a".repeat(255))).isEqualTo("bucket18");
    assertThat(basic("a".repeat(256))).isEqualTo("bucket7");
    assertThat(basic("あいうえおかき")).isEqualTo("bucket17");
    assertThat(basic("あいうえおかきく")).isEqualTo("bucket16");
    assertThat(basic("é".repeat(11))).isEqualTo("bucket16");
    assertThat(basic("é".repeat(12))).isEqualTo("bucket19");
    assertThat(basic("café façade résumé café")).isEqualTo("bucket9");
    assertThat(basic("A\\u0000B")).isEqualTo("bucket15");
    assertThat(basic("e\\u0301")).isEqualTo("bucket7");
    assertThat(basic("\\uD83D\\uDE00")).isEqualTo("bucket23");
  }

  @Test
  void valuesFromCode_bucketAsTheirJsonForm() {
    assertThat(basic(Map.of("b", 2, "a", 1))).isEqualTo("bucket23"); // Integer values
    assertThat(basic(123)).isEqualTo("bucket20");
    assertThat(basic(1.0f)).isEqualTo("bucket23");
    // An array falls back to the targeting key, which this context lacks: the default variant.
    assertThat(basic(List.of(1, 2))).isEqualTo("fallback");
  }

  static Object byName(String flag, String name) {
    return V3.evaluateFlag(
            flag,
            EvaluationContext.builder().attribute("user", Map.of("name", name)).build(),
            "fallback")
        .value();
  }

  static FlagEvaluation shorthand(EvaluationContext ctx) {
    return V3.evaluateFlag("fractional-flag-shorthand", ctx, "fallback");
  }

  // "Fractional operator", "... with shared seed", "... shorthand", "... using implicit targeting
  // key", "... invalid implicit inputs" (@fractional-v3)
  @Test
  void stringBucketingValues_andTheImplicitTargetingKey() {
    assertThat(byName("fractional-flag", "jack")).isEqualTo("diamonds");
    assertThat(byName("fractional-flag", "queen")).isEqualTo("diamonds");
    assertThat(byName("fractional-flag", "ten")).isEqualTo("clubs");
    assertThat(byName("fractional-flag", "nine")).isEqualTo("clubs");
    assertThat(byName("fractional-flag", "3")).isEqualTo("spades");
    assertThat(byName("fractional-flag-A-shared-seed", "seven")).isEqualTo("hearts");
    assertThat(byName("fractional-flag-A-shared-seed", "eight")).isEqualTo("hearts");
    assertThat(byName("fractional-flag-A-shared-seed", "nine")).isEqualTo("diamonds");
    assertThat(byName("fractional-flag-A-shared-seed", "two")).isEqualTo("diamonds");
    String[][] keys = {
      {"jon@company.com", "tails"},
      {"jane@company.com", "tails"},
      {"user-1", "heads"},
      {"user-2", "tails"},
      {"user-3", "heads"}
    };
    for (String[] k : keys) {
      assertThat(shorthand(EvaluationContext.builder().targetingKey(k[0]).build()).value())
          .as(k[0])
          .isEqualTo(k[1]);
    }
    for (EvaluationContext invalid :
        List.of(
            EvaluationContext.builder().attribute("irrelevant", "none").build(),
            EvaluationContext.builder().attribute("targetingKey", 12345).build(),
            EvaluationContext.builder().attribute("targetingKey", true).build())) {
      FlagEvaluation r = shorthand(invalid);
      assertThat(r.value()).isEqualTo("draw");
      assertThat(r.reason()).isEqualTo(Reason.DEFAULT);
    }
  }

  @Test
  void nullBucketingValue_yieldsTheDefaultVariant() {
    FlagEvaluation r =
        V3.evaluateFlag(
            "fractional-basic-flag",
            EvaluationContext.builder().targetingKey("u1").attribute("hashing_input", null).build(),
            "x");
    assertThat(r.value()).isEqualTo("fallback");
    assertThat(r.reason()).isEqualTo(Reason.DEFAULT);
  }
}
