package dev.dynconfig;

import static dev.dynconfig.Docs.load;
import static dev.dynconfig.Docs.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.internal.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replays evaluation scenarios of the OpenFeature flagd testbed (open-feature/flagd-testbed) on one
 * combined flag file, as the testbed runs them, broken flags included: {@code error-targeting-flag}
 * and {@code ref-to-nonexistent-evaluator-flag} must not take the other flags down.
 *
 * <p>The flags below are the testbed's own definitions, from evaluator/flags/testkit-flags.json and
 * flags/edge-case-flags.json (commit 0815d197), flags/custom-ops.json (commit 18a31280: {@code
 * starts-ends-flag}, {@code semver-numeric-context-flag}) and, for metadata,
 * flags/selector-flag-combined-metadata.json (commit 25f03b1c). Each expected value is typed in
 * from the scenario named in the row's comment: evaluator/gherkin/evaluation.feature,
 * errors.feature, no-default-variant.feature, targeting.feature, and gherkin/targeting.feature
 * (fractional v2, semver, string, "Errors and edge cases", operator-errors) and
 * gherkin/metadata.feature.
 */
class FlagdTestbedReplayTest {
  static final String FLAGS =
      q(
          """
          {"flags": {
            "boolean-flag": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"},
            "string-flag": {"state": "ENABLED", "variants": {"greeting": "hi", "parting": "bye"}, "defaultVariant": "greeting"},
            "integer-flag": {"state": "ENABLED", "variants": {"one": 1, "ten": 10}, "defaultVariant": "ten"},
            "float-flag": {"state": "ENABLED", "variants": {"tenth": 0.1, "half": 0.5}, "defaultVariant": "half"},
            "object-flag": {"state": "ENABLED", "variants": {"empty": {},
                "template": {"showImages": true, "title": "Check out these pics!", "imagesPerPage": 100}},
              "defaultVariant": "template"},
            "wrong-flag": {"state": "ENABLED", "variants": {"one": "uno", "two": "dos"}, "defaultVariant": "one"},
            "null-default-flag": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": null},
            "undefined-default-flag": {"state": "ENABLED", "variants": {"small": 10, "big": 1000}},
            "no-default-flag-null-targeting-variant": {"state": "ENABLED",
              "variants": {"normal": "CFO", "special": "CEO"},
              "targeting": {"if": [{"==": ["jobs@orange.com", {"var": ["email"]}]}, "special", null]}},
            "no-default-flag-undefined-targeting-variant": {"state": "ENABLED",
              "variants": {"normal": "CFO", "special": "CEO"},
              "targeting": {"if": [{"==": ["jobs@orange.com", {"var": ["email"]}]}, "special"]}},
            "some-email-targeted-flag": {"state": "ENABLED", "variants": {"hi": "hi", "bye": "bye", "none": "none"},
              "defaultVariant": "none", "targeting": {"if": [{"$ref": "is_ballmer"}, "hi", "bye"]}},
            "some-other-email-targeted-flag": {"state": "ENABLED", "variants": {"yes": "yes", "no": "no", "none": "none"},
              "defaultVariant": "none", "targeting": {"if": [{"$ref": "is_ballmer"}, "yes", "no"]}},
            "ref-whitespace-space-around-colon-flag": {"state": "ENABLED",
              "variants": {"hi": "hi", "bye": "bye", "fallback": "fallback"}, "defaultVariant": "fallback",
              "targeting": {"if": [{"$ref" : "is_ballmer"}, "hi", "bye"]}},
            "ref-to-nonexistent-evaluator-flag": {"state": "ENABLED",
              "variants": {"hit": "hit", "miss": "miss", "fallback": "fallback"}, "defaultVariant": "fallback",
              "targeting": {"if": [{"$ref": "nonexistent_evaluator"}, "hit", "miss"]}},
            "fractional-flag": {"state": "ENABLED",
              "variants": {"clubs": "clubs", "diamonds": "diamonds", "hearts": "hearts", "spades": "spades", "wild": "wild"},
              "defaultVariant": "wild",
              "targeting": {"fractional": [{"cat": [{"var": "$flagd.flagKey"}, {"var": "user.name"}]},
                ["clubs", 25], ["diamonds", 25], ["hearts", 25], ["spades", 25]]}},
            "fractional-flag-shorthand": {"state": "ENABLED",
              "variants": {"heads": "heads", "tails": "tails", "draw": "draw"}, "defaultVariant": "draw",
              "targeting": {"fractional": [["heads"], ["tails", 1]]}},
            "fractional-flag-B-shared-seed": {"state": "ENABLED",
              "variants": {"clubs": "ace-of-clubs", "diamonds": "ace-of-diamonds", "hearts": "ace-of-hearts",
                           "spades": "ace-of-spades", "wild": "wild"},
              "defaultVariant": "wild",
              "targeting": {"fractional": [{"cat": ["shared-seed", {"var": "user.name"}]},
                ["clubs", 25], ["diamonds", 25], ["hearts", 25], ["spades", 25]]}},
            "fractional-hash-edge-flag": {"state": "ENABLED", "variants": {"lower": "lower", "upper": "upper"},
              "defaultVariant": "lower",
              "targeting": {"fractional": [{"var": "targetingKey"}, ["lower", 50], ["upper", 50]]}},
            "fractional-nested-var-flag": {"state": "ENABLED",
              "variants": {"red": "red", "green": "green", "blue": "blue", "fallback": "fallback"},
              "defaultVariant": "fallback",
              "targeting": {"fractional": [{"var": "targetingKey"}, [{"var": "color"}, 50], ["blue", 50]]}},
            "fractional-nested-weight-flag": {"state": "ENABLED",
              "variants": {"red": "red", "blue": "blue", "fallback": "fallback"}, "defaultVariant": "fallback",
              "targeting": {"fractional": [{"var": "targetingKey"},
                ["red", {"if": [{"==": [{"var": "tier"}, "premium"]}, 100, 0]}], ["blue", 10]]}},
            "fractional-as-condition-false-flag": {"state": "ENABLED",
              "variants": {"big": "hundreds", "small": "ones", "fallback": "zero"}, "defaultVariant": "fallback",
              "targeting": {"if": [{"fractional": [[false, 100], [true, 0]]}, "big", "small"]}},
            "fractional-single-entry-flag": {"state": "ENABLED",
              "variants": {"single": "single", "fallback": "fallback"}, "defaultVariant": "fallback",
              "targeting": {"fractional": [["single", 1]]}},
            "starts-ends-flag": {"state": "ENABLED",
              "variants": {"prefix": "prefix", "postfix": "postfix", "none": "none"}, "defaultVariant": "none",
              "targeting": {"if": [{"starts_with": [{"var": "id"}, "abc"]}, "prefix",
                {"if": [{"ends_with": [{"var": "id"}, "xyz"]}, "postfix",
                  {"if": [{"ends_with": [{"var": "id"}, 3]}, "fail", "none"]}]}]}},
            "equal-greater-lesser-version-flag": {"state": "ENABLED",
              "variants": {"equal": "equal", "greater": "greater", "lesser": "lesser", "none": "none"},
              "defaultVariant": "none",
              "targeting": {"if": [{"sem_ver": [{"var": "version"}, "=", "2.0.0"]}, "equal",
                {"if": [{"sem_ver": [{"var": "version"}, ">", "2.0.0"]}, "greater",
                  {"if": [{"sem_ver": [{"var": "version"}, "<", "2.0.0"]}, "lesser", "none"]}]}]}},
            "major-minor-version-flag": {"state": "ENABLED",
              "variants": {"minor": "minor", "major": "major", "none": "none"}, "defaultVariant": "none",
              "targeting": {"if": [{"sem_ver": [{"var": "version"}, "~", "3.0.0"]}, "minor",
                {"if": [{"sem_ver": [{"var": "version"}, "^", "3.0.0"]}, "major", "none"]}]}},
            "semver-v-prefix-flag": {"state": "ENABLED", "variants": {"match": "match", "no-match": "no-match"},
              "defaultVariant": "no-match",
              "targeting": {"if": [{"sem_ver": [{"var": "version"}, "=", "v1.0.0"]}, "match", "no-match"]}},
            "semver-partial-version-flag": {"state": "ENABLED", "variants": {"match": "match", "no-match": "no-match"},
              "defaultVariant": "no-match",
              "targeting": {"if": [{"sem_ver": [{"var": "version"}, "^", "1"]}, "match", "no-match"]}},
            "semver-numeric-context-flag": {"state": "ENABLED", "variants": {"match": "match", "no-match": "no-match"},
              "defaultVariant": "no-match",
              "targeting": {"if": [{"sem_ver": [{"var": "version"}, ">", "1.1"]}, "match", "no-match"]}},
            "semver-build-metadata-flag": {"state": "ENABLED", "variants": {"match": "match", "no-match": "no-match"},
              "defaultVariant": "no-match",
              "targeting": {"if": [{"sem_ver": [{"var": "version"}, "=", "1.0.0+build"]}, "match", "no-match"]}},
            "targeting-key-flag": {"state": "ENABLED", "variants": {"miss": "miss", "hit": "hit"}, "defaultVariant": "miss",
              "targeting": {"if": [{"==": [{"var": "targetingKey"}, "5c3d8535-f81a-4478-a6d3-afaa4d51199e"]}, "hit", null]}},
            "targeting-null-variant-flag": {"state": "ENABLED", "variants": {"one": 1, "two": 2},
              "defaultVariant": "two", "targeting": {"if": [true, null, "one"]}},
            "error-targeting-flag": {"state": "ENABLED", "variants": {"one": 1, "two": 2},
              "defaultVariant": "two", "targeting": {"invalid": ["this is not valid targeting"]}},
            "missing-variant-targeting-flag": {"state": "ENABLED", "variants": {"one": 1, "two": 2},
              "defaultVariant": "two", "targeting": {"if": [true, "three", "one"]}},
            "non-string-variant-targeting-flag": {"state": "ENABLED", "variants": {"false": 1, "true": 2},
              "defaultVariant": "false", "targeting": {"if": [true, true, false]}},
            "empty-targeting-flag": {"state": "ENABLED", "variants": {"false": 1, "true": 2},
              "defaultVariant": "false", "targeting": {}},
            "semver-invalid-version-flag": {"state": "ENABLED",
              "variants": {"true": "true", "false": "false", "fallback": "fallback"}, "defaultVariant": "fallback",
              "targeting": {"if": [{"sem_ver": [{"var": "version"}, "=", "1.0.0"]}, "true", "false"]}},
            "semver-invalid-operator-flag": {"state": "ENABLED",
              "variants": {"true": "true", "false": "false", "fallback": "fallback"}, "defaultVariant": "fallback",
              "targeting": {"if": [{"sem_ver": [{"var": "version"}, "===", "1.0.0"]}, "true", "false"]}},
            "semver-wrong-args-flag": {"state": "ENABLED",
              "variants": {"true": "true", "false": "false", "fallback": "fallback"}, "defaultVariant": "fallback",
              "targeting": {"if": [{"sem_ver": [{"var": "version"}, "="]}, "true", "false"]}},
            "fractional-null-bucket-key-flag": {"state": "ENABLED",
              "variants": {"true": "true", "false": "false", "fallback": "fallback"}, "defaultVariant": "fallback",
              "targeting": {"if": [{"fractional": [{"var": "missing_key"}, ["one", 50], ["two", 50]]}, "true", "false"]}},
            "starts-with-non-string-flag": {"state": "ENABLED",
              "variants": {"true": "true", "false": "false", "fallback": "fallback"}, "defaultVariant": "fallback",
              "targeting": {"if": [{"starts_with": [{"var": "num"}, "abc"]}, "true", "false"]}},
            "ends-with-wrong-args-flag": {"state": "ENABLED",
              "variants": {"true": "true", "false": "false", "fallback": "fallback"}, "defaultVariant": "fallback",
              "targeting": {"if": [{"ends_with": ["xyz"]}, "true", "false"]}},
            "fractional-zero-weights-flag": {"state": "ENABLED",
              "variants": {"true": "true", "false": "false", "fallback": "fallback"}, "defaultVariant": "fallback",
              "targeting": {"if": [{"fractional": [{"var": "targetingKey"}, ["one", 0], ["two", 0]]}, "true", "false"]}},
            "fractional-negative-weight-flag": {"state": "ENABLED",
              "variants": {"one": "one", "two": "two", "fallback": "fallback"}, "defaultVariant": "fallback",
              "targeting": {"fractional": [{"var": "targetingKey"}, ["one", -50], ["two", 100]]}}
           },
           "$evaluators": {"is_ballmer": {"==": ["ballmer@macrosoft.com", {"var": ["email"]}]}}}
          """);

  /** The combined file, loaded once: every scenario only reads it. */
  static final DynamicConfig TESTBED = DynamicConfig.create(DynamicConfigOptions.builder().build());

  static {
    load(TESTBED, FLAGS);
  }

  final DynamicConfig config = DynamicConfig.create(DynamicConfigOptions.builder().build());

  /**
   * The context of a row: {@code targetingKey} is the targeting key, anything else an attribute.
   */
  static EvaluationContext context(String json) throws DocumentException {
    EvaluationContext.Builder b = EvaluationContext.builder();
    if (json != null) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) Json.read(json, "row")).entrySet()) {
        if (e.getKey().equals("targetingKey")) {
          b.targetingKey((String) e.getValue());
        } else {
          b.attribute((String) e.getKey(), e.getValue());
        }
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # flag                                   | context                                   | fallback  | value        | reason          | error
          # evaluator/gherkin/evaluation.feature: Resolve basic values
          boolean-flag                               | -                                         | false     | true         | STATIC          | -
          string-flag                                | -                                         | "bye"     | "hi"         | STATIC          | -
          integer-flag                               | -                                         | 1         | 10           | STATIC          | -
          float-flag                                 | -                                         | 0.1       | 0.5          | STATIC          | -
          object-flag                                | -                                         | {}        | {"showImages": true, "title": "Check out these pics!", "imagesPerPage": 100} | STATIC | -
          # evaluator/gherkin/errors.feature
          missing-flag                               | -                                         | "uh-oh"   | "uh-oh"      | ERROR           | FLAG_NOT_FOUND
          wrong-flag                                 | -                                         | 13        | 13           | ERROR           | TYPE_MISMATCH
          boolean-flag                               | -                                         | "fallback"| "fallback"   | ERROR           | TYPE_MISMATCH
          boolean-flag                               | -                                         | 1         | 1            | ERROR           | TYPE_MISMATCH
          string-flag                                | -                                         | false     | false        | ERROR           | TYPE_MISMATCH
          integer-flag                               | -                                         | "fallback"| "fallback"   | ERROR           | TYPE_MISMATCH
          float-flag                                 | -                                         | false     | false        | ERROR           | TYPE_MISMATCH
          # evaluator/gherkin/no-default-variant.feature
          null-default-flag                          | -                                         | true      | true         | DEFAULT         | -
          null-default-flag                          | -                                         | false     | false        | DEFAULT         | -
          undefined-default-flag                     | -                                         | 100       | 100          | DEFAULT         | -
          no-default-flag-null-targeting-variant     | {"email": "wozniak@orange.com"}           | "Inventor"| "Inventor"   | DEFAULT         | -
          no-default-flag-null-targeting-variant     | {"email": "jobs@orange.com"}              | "CEO"     | "CEO"        | TARGETING_MATCH | -
          no-default-flag-undefined-targeting-variant| {"email": "wozniak@orange.com"}           | "Retired" | "Retired"    | DEFAULT         | -
          # evaluator/gherkin/targeting.feature: Targeting by targeting key
          targeting-key-flag                         | {"targetingKey": "5c3d8535-f81a-4478-a6d3-afaa4d51199e"} | "fallback" | "hit" | TARGETING_MATCH | -
          targeting-key-flag                         | {"targetingKey": "f20bd32d-703b-48b6-bc8e-79d53c85134a"} | "fallback" | "miss" | DEFAULT     | -
          # gherkin/targeting.feature: Evaluator reuse, $ref whitespace, nonexistent evaluator
          some-email-targeted-flag                   | {"email": "ballmer@macrosoft.com"}        | "fallback"| "hi"         | TARGETING_MATCH | -
          some-other-email-targeted-flag             | {"email": "ballmer@macrosoft.com"}        | "fallback"| "yes"        | TARGETING_MATCH | -
          ref-whitespace-space-around-colon-flag     | {"email": "user@example.com"}             | "fallback"| "bye"        | TARGETING_MATCH | -
          ref-to-nonexistent-evaluator-flag          | -                                         | "fallback"| "fallback"   | ERROR           | PARSE_ERROR
          # gherkin/targeting.feature: Fractional operator (@fractional-v2)
          fractional-flag                            | {"user": {"name": "jack"}}                | "fallback"| "hearts"     | TARGETING_MATCH | -
          fractional-flag                            | {"user": {"name": "queen"}}               | "fallback"| "spades"     | TARGETING_MATCH | -
          fractional-flag                            | {"user": {"name": "ten"}}                 | "fallback"| "clubs"      | TARGETING_MATCH | -
          fractional-flag                            | {"user": {"name": "nine"}}                | "fallback"| "diamonds"   | TARGETING_MATCH | -
          fractional-flag                            | {"user": {"name": "3"}}                   | "fallback"| "clubs"      | TARGETING_MATCH | -
          fractional-flag-shorthand                  | {"targetingKey": "jon@company.com"}       | "fallback"| "heads"      | TARGETING_MATCH | -
          fractional-flag-shorthand                  | {"targetingKey": "jane@company.com"}      | "fallback"| "tails"      | TARGETING_MATCH | -
          fractional-flag-B-shared-seed              | {"user": {"name": "seven"}}               | "fallback"| "ace-of-hearts"   | TARGETING_MATCH | -
          fractional-flag-B-shared-seed              | {"user": {"name": "eight"}}               | "fallback"| "ace-of-diamonds" | TARGETING_MATCH | -
          fractional-flag-B-shared-seed              | {"user": {"name": "nine"}}                | "fallback"| "ace-of-clubs"    | TARGETING_MATCH | -
          fractional-flag-B-shared-seed              | {"user": {"name": "two"}}                 | "fallback"| "ace-of-spades"   | TARGETING_MATCH | -
          fractional-single-entry-flag               | {"targetingKey": "some-targeting-key"}    | "fallback"| "single"     | TARGETING_MATCH | -
          fractional-hash-edge-flag                  | {"targetingKey": "ejOoVL"}                | "fallback"| "lower"      | TARGETING_MATCH | -
          fractional-hash-edge-flag                  | {"targetingKey": "SI7p-"}                 | "fallback"| "lower"      | TARGETING_MATCH | -
          fractional-hash-edge-flag                  | {"targetingKey": "6LvT0"}                 | "fallback"| "upper"      | TARGETING_MATCH | -
          fractional-hash-edge-flag                  | {"targetingKey": "ceQdGm"}                | "fallback"| "upper"      | TARGETING_MATCH | -
          # gherkin/targeting.feature: nested expressions (@fractional-nested)
          fractional-nested-var-flag                 | {"targetingKey": "jon@company.com", "color": "green"}  | "fallback" | "green"    | TARGETING_MATCH | -
          fractional-nested-var-flag                 | {"targetingKey": "user1", "color": "red"}              | "fallback" | "blue"     | TARGETING_MATCH | -
          fractional-nested-var-flag                 | {"targetingKey": "jon@company.com", "color": "yellow"} | "fallback" | "fallback" | ERROR           | GENERAL
          fractional-nested-weight-flag              | {"targetingKey": "user1", "tier": "premium"}           | "fallback" | "red"      | TARGETING_MATCH | -
          fractional-nested-weight-flag              | {"targetingKey": "user1", "tier": "basic"}             | "fallback" | "blue"     | TARGETING_MATCH | -
          fractional-as-condition-false-flag         | {"targetingKey": "some-targeting-key"}    | "zero"    | "ones"       | TARGETING_MATCH | -
          # gherkin/targeting.feature: Substring operators
          starts-ends-flag                           | {"id": "abcdef"}                          | "fallback"| "prefix"     | TARGETING_MATCH | -
          starts-ends-flag                           | {"id": "uvwxyz"}                          | "fallback"| "postfix"    | TARGETING_MATCH | -
          starts-ends-flag                           | {"id": "abcxyz"}                          | "fallback"| "prefix"     | TARGETING_MATCH | -
          starts-ends-flag                           | {"id": "lmnopq"}                          | "fallback"| "none"       | DEFAULT         | -
          starts-ends-flag                           | {"id": "3"}                               | "fallback"| "none"       | DEFAULT         | -
          # gherkin/targeting.feature: Semantic version operator (numeric, semantic, v-prefix, partial, numeric context, build metadata)
          equal-greater-lesser-version-flag          | {"version": "2.0.0"}                      | "fallback"| "equal"      | TARGETING_MATCH | -
          equal-greater-lesser-version-flag          | {"version": "2.1.0"}                      | "fallback"| "greater"    | TARGETING_MATCH | -
          equal-greater-lesser-version-flag          | {"version": "1.9.0"}                      | "fallback"| "lesser"     | TARGETING_MATCH | -
          equal-greater-lesser-version-flag          | {"version": "2.0.0-alpha"}                | "fallback"| "lesser"     | TARGETING_MATCH | -
          equal-greater-lesser-version-flag          | {"version": "2.0.0.0"}                    | "fallback"| "none"       | DEFAULT         | -
          major-minor-version-flag                   | {"version": "3.0.1"}                      | "fallback"| "minor"      | TARGETING_MATCH | -
          major-minor-version-flag                   | {"version": "3.1.0"}                      | "fallback"| "major"      | TARGETING_MATCH | -
          major-minor-version-flag                   | {"version": "4.0.0"}                      | "fallback"| "none"       | TARGETING_MATCH | -
          semver-v-prefix-flag                       | {"version": "1.0.0"}                      | "fallback"| "match"      | TARGETING_MATCH | -
          semver-v-prefix-flag                       | {"version": "V1.0.0"}                     | "fallback"| "match"      | TARGETING_MATCH | -
          semver-v-prefix-flag                       | {"version": "2.0.0"}                      | "fallback"| "no-match"   | TARGETING_MATCH | -
          semver-partial-version-flag                | {"version": "1.0"}                        | "fallback"| "match"      | TARGETING_MATCH | -
          semver-partial-version-flag                | {"version": 1}                            | "fallback"| "match"      | TARGETING_MATCH | -
          semver-partial-version-flag                | {"version": 1.0}                          | "fallback"| "match"      | TARGETING_MATCH | -
          semver-partial-version-flag                | {"version": 1.2}                          | "fallback"| "match"      | TARGETING_MATCH | -
          semver-partial-version-flag                | {"version": "2.0.0"}                      | "fallback"| "no-match"   | TARGETING_MATCH | -
          semver-numeric-context-flag                | {"version": 1.2}                          | "fallback"| "match"      | TARGETING_MATCH | -
          semver-numeric-context-flag                | {"version": 1.1}                          | "fallback"| "no-match"   | TARGETING_MATCH | -
          semver-numeric-context-flag                | {"version": 2}                            | "fallback"| "match"      | TARGETING_MATCH | -
          semver-numeric-context-flag                | {"version": 1}                            | "fallback"| "no-match"   | TARGETING_MATCH | -
          semver-build-metadata-flag                 | {"version": "1.0.0+other"}                | "fallback"| "match"      | TARGETING_MATCH | -
          semver-build-metadata-flag                 | {"version": "2.0.0"}                      | "fallback"| "no-match"   | TARGETING_MATCH | -
          # gherkin/targeting.feature: Errors and edge cases (Integer flags, default 3)
          targeting-null-variant-flag                | -                                         | 3         | 2            | DEFAULT         | -
          error-targeting-flag                       | -                                         | 3         | 3            | ERROR           | PARSE_ERROR
          missing-variant-targeting-flag             | -                                         | 3         | 3            | ERROR           | GENERAL
          non-string-variant-targeting-flag          | -                                         | 3         | 2            | TARGETING_MATCH | -
          empty-targeting-flag                       | -                                         | 3         | 1            | STATIC          | -
          # gherkin/targeting.feature: @operator-errors (operators yield null: the default variant)
          semver-invalid-version-flag                | {"version": "not-a-version"}              | "wrong"   | "fallback"   | DEFAULT         | -
          semver-invalid-operator-flag               | {"version": "1.0.0"}                      | "wrong"   | "fallback"   | DEFAULT         | -
          semver-wrong-args-flag                     | {"version": "1.0.0"}                      | "wrong"   | "fallback"   | DEFAULT         | -
          fractional-null-bucket-key-flag            | -                                         | "wrong"   | "fallback"   | DEFAULT         | -
          starts-with-non-string-flag                | {"num": 123}                              | "wrong"   | "fallback"   | DEFAULT         | -
          ends-with-wrong-args-flag                  | -                                         | "wrong"   | "fallback"   | DEFAULT         | -
          fractional-zero-weights-flag               | {"targetingKey": "any-user"}              | "wrong"   | "fallback"   | DEFAULT         | -
          fractional-negative-weight-flag            | {"targetingKey": "any-user"}              | "wrong"   | "two"        | TARGETING_MATCH | -
          """)
  void scenario(
      String flag, String context, String fallback, String value, Reason reason, ErrorCode error)
      throws Exception {
    FlagEvaluation r =
        TESTBED.evaluateFlag(flag, context(context), Json.read(fallback, "fallback"));
    assertThat(r.value()).isEqualTo(Json.read(value, "value"));
    assertThat(r.reason()).isEqualTo(reason);
    assertThat(r.errorCode()).isEqualTo(error);
  }

  @Test
  void metadata_flagKeysOverwriteFlagSetKeys_typesKept() {
    // gherkin/metadata.feature "Flag metadata overwrites flag set metadata",
    // flags/selector-flag-combined-metadata.json
    load(
        config,
        """
        {"flags": {"combined-metadata-flag": {"state": "ENABLED",
           "variants": {"true": true, "false": false}, "defaultVariant": "false", "targeting": {},
           "metadata": {"string": "a", "integer": 1, "float": 1.2, "boolean": true}}},
         "metadata": {"string": "b", "integer": 2, "float": 2.2, "boolean": false,
           "flag-set-string": "c", "flag-set-integer": 3, "flag-set-float": 3.2, "flag-set-boolean": false}}
        """);
    assertThat(
            config
                .evaluateFlag("combined-metadata-flag", EvaluationContext.empty(), true)
                .metadata())
        .isEqualTo(
            Map.of(
                "string",
                "a",
                "integer",
                1L,
                "float",
                1.2,
                "boolean",
                true,
                "flag-set-string",
                "c",
                "flag-set-integer",
                3L,
                "flag-set-float",
                3.2,
                "flag-set-boolean",
                false));
  }

  @Test
  void metadata_emptyWhenTheFlagAndTheFileHaveNone() {
    // gherkin/metadata.feature "Returns no metadata"
    assertThat(TESTBED.evaluateFlag("boolean-flag", EvaluationContext.empty(), true).metadata())
        .isEmpty();
  }
}
