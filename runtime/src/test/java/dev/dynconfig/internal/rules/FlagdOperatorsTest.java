package dev.dynconfig.internal.rules;

import static dev.dynconfig.internal.rules.RuleTesting.compile;
import static dev.dynconfig.internal.rules.RuleTesting.eval;
import static dev.dynconfig.internal.rules.RuleTesting.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * flagd's operators, with the vectors of the flagd testbed (open-feature/flagd-testbed,
 * evaluator/flags/testkit-flags.json and evaluator/gherkin/*.feature, fractional v2).
 */
class FlagdOperatorsTest {

  private static Object evalFlag(String rule, String flagKey, String targetingKey, String data)
      throws RuleException {
    @SuppressWarnings("unchecked")
    Map<String, Object> d = new HashMap<>((Map<String, Object>) json(data));
    d.put("$flagd", Map.of("flagKey", flagKey, "timestamp", 1_700_000_000L));
    if (targetingKey != null) {
      d.put("targetingKey", targetingKey);
    }
    return compile(rule).evaluate(new MapData(d, flagKey, targetingKey));
  }

  private static final String SUITS =
      "[\"clubs\", 25], [\"diamonds\", 25], [\"hearts\", 25], [\"spades\", 25]";

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"jack,hearts", "queen,spades", "ten,clubs", "nine,diamonds", "3,clubs"})
  void fractional_matchesFlagdTestbed_catOfFlagKeyAndName(String name, String expected)
      throws Exception {
    String rule =
        "{\"fractional\": [{\"cat\": [{\"var\": \"$flagd.flagKey\"}, {\"var\": \"user.name\"}]}, "
            + SUITS
            + "]}";
    String data = "{\"user\": {\"name\": \"" + name + "\"}}";
    assertThat(evalFlag(rule, "fractional-flag", null, data)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"seven,hearts", "eight,diamonds", "nine,clubs", "two,spades"})
  void fractional_matchesFlagdTestbed_sharedSeed(String name, String expected) throws Exception {
    String rule =
        "{\"fractional\": [{\"cat\": [\"shared-seed\", {\"var\": \"user.name\"}]}, " + SUITS + "]}";
    String data = "{\"user\": {\"name\": \"" + name + "\"}}";
    assertThat(evalFlag(rule, "fractional-flag-A-shared-seed", null, data)).isEqualTo(expected);
    assertThat(evalFlag(rule, "fractional-flag-B-shared-seed", null, data)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"jon@company.com,heads", "jane@company.com,tails"})
  void fractional_shorthand_bucketsByFlagKeyAndTargetingKey_withDefaultWeightOne(
      String targetingKey, String expected) throws Exception {
    String rule = "{\"fractional\": [[\"heads\"], [\"tails\", 1]]}";
    assertThat(evalFlag(rule, "fractional-flag-shorthand", targetingKey, "{}")).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"ejOoVL,lower", "bY9fO-,lower", "SI7p-,lower", "6LvT0,upper", "ceQdGm,upper"})
  void fractional_hashEdgeVectors(String key, String expected) throws Exception {
    String rule =
        "{\"fractional\": [{\"var\": \"targetingKey\"}, [\"lower\", 50], [\"upper\", 50]]}";
    assertThat(evalFlag(rule, "fractional-hash-edge-flag", key, "{}")).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}/{1} -> {2}")
  @CsvSource({
    "jon@company.com,premium,premium",
    "jon@company.com,basic,standard",
    "user1,premium,standard",
    "user1,basic,standard"
  })
  void fractional_nestedIfAsVariant(String key, String tier, String expected) throws Exception {
    String rule =
        "{\"fractional\": [{\"var\": \"targetingKey\"}, [{\"if\": [{\"==\": [{\"var\": \"tier\"},"
            + " \"premium\"]}, \"premium\", \"standard\"]}, 50], [\"standard\", 50]]}";
    assertThat(evalFlag(rule, "f", key, "{\"tier\": \"" + tier + "\"}")).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}/{1} -> {2}")
  @CsvSource({
    "jon@company.com,premium,red",
    "jon@company.com,basic,blue",
    "user1,premium,red",
    "user1,basic,blue"
  })
  void fractional_nestedIfAsWeight(String key, String tier, String expected) throws Exception {
    String rule =
        "{\"fractional\": [{\"var\": \"targetingKey\"}, [\"red\", {\"if\": [{\"==\": [{\"var\":"
            + " \"tier\"}, \"premium\"]}, 100, 0]}], [\"blue\", 10]]}";
    assertThat(evalFlag(rule, "f", key, "{\"tier\": \"" + tier + "\"}")).isEqualTo(expected);
  }

  @Test
  void fractional_nestedVarAsVariant() throws Exception {
    String rule =
        "{\"fractional\": [{\"var\": \"targetingKey\"}, [{\"var\": \"color\"}, 50], [\"blue\","
            + " 50]]}";
    assertThat(evalFlag(rule, "f", "jon@company.com", "{\"color\": \"green\"}")).isEqualTo("green");
    assertThat(evalFlag(rule, "f", "user1", "{\"color\": \"red\"}")).isEqualTo("blue");
  }

  @Test
  void fractional_asCondition_returnsBooleanVariants() throws Exception {
    Rule rule =
        compile("{\"if\": [{\"fractional\": [[false, 0], [true, 100]]}, \"big\", \"small\"]}");
    assertThat(
            rule.evaluate(
                new MapData(Map.of(), "fractional-as-condition-flag", "some-targeting-key")))
        .isEqualTo("big");
    Rule falseRule =
        compile("{\"if\": [{\"fractional\": [[false, 100], [true, 0]]}, \"big\", \"small\"]}");
    assertThat(falseRule.evaluate(new MapData(Map.of(), "x", "some-targeting-key")))
        .isEqualTo("small");
  }

  @Test
  void fractional_singleEntry_alwaysResolvesToIt() throws Exception {
    assertThat(evalFlag("{\"fractional\": [[\"single\", 1]]}", "f", "some-targeting-key", "{}"))
        .isEqualTo("single");
  }

  @Test
  void fractional_nullBucketingValue_fallsBackToFlagKeyAndTargetingKey() throws Exception {
    String withMissing =
        "{\"fractional\": [{\"var\": \"missing_key\"}, [\"one\", 50], [\"two\", 50]]}";
    String shorthand = "{\"fractional\": [[\"one\", 50], [\"two\", 50]]}";
    for (String user : new String[] {"a", "b", "c", "d", "e"}) {
      assertThat(evalFlag(withMissing, "flag", user, "{}"))
          .isEqualTo(evalFlag(shorthand, "flag", user, "{}"));
    }
  }

  @Test
  void fractional_negativeWeight_countsAsZero() throws Exception {
    // testbed: fractional-negative-weight-flag ("one" -50 is clamped to 0, "two" gets everyone)
    String rule = "{\"fractional\": [{\"var\": \"targetingKey\"}, [\"one\", -50], [\"two\", 100]]}";
    for (String user : new String[] {"any-user", "a", "b", "c", "d", "e", "f", "g"}) {
      assertThat(evalFlag(rule, "f", user, "{}")).isEqualTo("two");
    }
    // computed from data, too
    String dynamic = "{\"fractional\": [[\"one\", {\"var\": \"w\"}], [\"two\", 1]]}";
    assertThat(evalFlag(dynamic, "f", "u", "{\"w\": -3}")).isEqualTo("two");
  }

  @Test
  void fractional_badInput_yieldsNull() throws Exception {
    // non-integer weight, non-string bucketing value, no targeting key
    assertThat(evalFlag("{\"fractional\": [[\"one\", 0.5], [\"two\", 1]]}", "f", "u", "{}"))
        .isNull();
    assertThat(
            evalFlag("{\"fractional\": [{\"var\": \"n\"}, [\"one\", 1]]}", "f", "u", "{\"n\": 5}"))
        .isNull();
    assertThat(evalFlag("{\"fractional\": [[\"one\", 1], [\"two\", 1]]}", "f", null, "{}"))
        .isNull();
    assertThat(evalFlag("{\"fractional\": []}", "f", "u", "{}")).isNull();
    // the whole targeting yields null, not the "false" branch of an enclosing if
    assertThat(
            evalFlag("{\"if\": [{\"fractional\": [[\"a\", 0.5]]}, \"t\", \"f\"]}", "f", "u", "{}"))
        .isNull();
  }

  @Test
  void fractional_zeroTotalWeight_yieldsNull_notTheEmptyVariant() throws Exception {
    assertThat(evalFlag("{\"fractional\": [[\"one\", 0], [\"two\", 0]]}", "f", "u", "{}")).isNull();
    // all weights negative: all count as 0
    assertThat(evalFlag("{\"fractional\": [[\"one\", -1], [\"two\", -5]]}", "f", "u", "{}"))
        .isNull();
    // computed from data
    assertThat(evalFlag("{\"fractional\": [[\"one\", {\"var\": \"w\"}]]}", "f", "u", "{\"w\": 0}"))
        .isNull();
    // testbed: fractional-zero-weights-flag, inside an if: the whole targeting yields null
    assertThat(
            evalFlag(
                "{\"if\": [{\"fractional\": [{\"var\": \"targetingKey\"}, [\"one\", 0],"
                    + " [\"two\", 0]]}, \"true\", \"false\"]}",
                "f",
                "any-user",
                "{}"))
        .isNull();
  }

  @Test
  void fractional_distributesProportionally() throws Exception {
    Rule rule = compile("{\"fractional\": [[\"a\", 1], [\"b\", 3]]}");
    int a = 0;
    for (int i = 0; i < 40_000; i++) {
      if ("a".equals(rule.evaluate(new MapData(Map.of(), "flag", "user-" + i)))) {
        a++;
      }
    }
    assertThat(a / 40_000.0).isBetween(0.24, 0.26);
  }

  // ------------------------------------------------------------------ sem_ver

  private static final String VERSION_FLAG =
      "{\"if\": [{\"sem_ver\": [{\"var\": \"version\"}, \"=\", \"2.0.0\"]}, \"equal\","
          + " {\"if\": [{\"sem_ver\": [{\"var\": \"version\"}, \">\", \"2.0.0\"]}, \"greater\","
          + " {\"if\": [{\"sem_ver\": [{\"var\": \"version\"}, \"<\", \"2.0.0\"]}, \"lesser\","
          + " \"none\"]}]}]}";

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"2.0.0,equal", "2.1.0,greater", "1.9.0,lesser", "2.0.0-alpha,lesser"})
  void semVer_numericComparison(String version, String expected) throws Exception {
    assertThat(eval(VERSION_FLAG, "{\"version\": \"" + version + "\"}")).isEqualTo(expected);
  }

  @Test
  void semVer_invalidVersion_yieldsNull() throws Exception {
    assertThat(eval(VERSION_FLAG, "{\"version\": \"2.0.0.0\"}")).isNull();
    assertThat(eval(VERSION_FLAG, "{\"version\": \"not-a-version\"}")).isNull();
    assertThat(eval(VERSION_FLAG, "{\"version\": \"01.0.0\"}")).isNull();
    assertThat(eval(VERSION_FLAG, "{}")).isNull();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"3.0.1,minor", "3.1.0,major", "4.0.0,none"})
  void semVer_caretAndTilde(String version, String expected) throws Exception {
    String rule =
        "{\"if\": [{\"sem_ver\": [{\"var\": \"version\"}, \"~\", \"3.0.0\"]}, \"minor\","
            + " {\"if\": [{\"sem_ver\": [{\"var\": \"version\"}, \"^\", \"3.0.0\"]}, \"major\","
            + " \"none\"]}]}";
    assertThat(eval(rule, "{\"version\": \"" + version + "\"}")).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource({
    "v1.0.0,=,1.0.0,true",
    "1.0.0,=,v1.0.0,true",
    "1.5.0,^,1,true",
    "1.0.0,^,1,true",
    "2.0.0,^,1,false",
    "1.0.0+other,=,1.0.0+build,true",
    "1.0.0,!=,1.0.1,true",
    "1.0.0,<=,1.0.0,true",
    "1.0.0,>=,1.0.1,false",
    "1.0.0-alpha,<,1.0.0-alpha.1,true",
    "1.0.0-alpha.1,<,1.0.0-alpha.beta,true",
    "1.0.0-beta.2,<,1.0.0-beta.11,true",
    "1.0.0-rc.1,<,1.0.0,true",
    "10.0.0,>,9.0.0,true",
    "1.2,=,1.2.0,true",
    "V1.0.0,=,1.0.0,true",
    "1.0.0,=,V1.0.0,true",
    "v1.0.0,=,V1.0.0,true",
    "1,=,1.0.0,true",
    "1.0.0+build.5,<,1.0.1+a,true",
  })
  void semVer_operators(String a, String op, String b, boolean expected) throws Exception {
    String rule = "{\"sem_ver\": [{\"var\": \"v\"}, \"" + op + "\", \"" + b + "\"]}";
    assertThat(eval(rule, "{\"v\": \"" + a + "\"}")).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource({
    // testbed semver-numeric-context-flag: {"sem_ver": [{"var": "version"}, ">", "1.1"]}
    "1.2,>,1.1,true",
    "1.1,>,1.1,false",
    "2,>,1.1,true",
    "1,>,1.1,false",
    // testbed semver-partial-version-flag: {"sem_ver": [{"var": "version"}, "^", "1"]}
    "1,^,1,true",
    "1.2,^,1,true",
    "2.0,^,1,false",
  })
  void semVer_numericContextValue_readsAsVersion(
      String number, String op, String target, boolean expected) throws Exception {
    String rule = "{\"sem_ver\": [{\"var\": \"v\"}, \"" + op + "\", \"" + target + "\"]}";
    assertThat(eval(rule, "{\"v\": " + number + "}")).isEqualTo(expected);
  }

  @Test
  void semVer_numericVersionInTheRule_readsAsVersion() throws Exception {
    assertThat(eval("{\"sem_ver\": [{\"var\": \"v\"}, \">=\", 2]}", "{\"v\": \"2.0.1\"}"))
        .isEqualTo(true);
    assertThat(eval("{\"sem_ver\": [{\"var\": \"v\"}, \"<\", 1.5]}", "{\"v\": \"1.4.9\"}"))
        .isEqualTo(true);
  }

  @Test
  void semVer_unknownOperatorOrWrongArity_yieldsNull() throws Exception {
    assertThat(
            eval(
                "{\"if\": [{\"sem_ver\": [{\"var\": \"v\"}, \"===\", \"1.0.0\"]}, 1, 2]}",
                "{\"v\": \"1.0.0\"}"))
        .isNull();
    assertThat(
            eval(
                "{\"if\": [{\"sem_ver\": [{\"var\": \"v\"}, \"=\"]}, 1, 2]}", "{\"v\": \"1.0.0\"}"))
        .isNull();
    assertThat(
            eval(
                "{\"if\": [{\"sem_ver\": [{\"var\": \"v\"}, \"=\", \"1.0.0\", \"x\"]}, 1, 2]}",
                "{\"v\": \"1.0.0\"}"))
        .isNull();
    assertThat(
            eval("{\"if\": [{\"sem_ver\": [{\"var\": \"v\"}, \"=\", true]}, 1, 2]}", "{\"v\": 1}"))
        .isNull();
  }

  // ------------------------------------------------------------------ starts_with / ends_with

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"abcdef,prefix", "uvwxyz,postfix", "abcxyz,prefix", "lmnopq,none"})
  void startsWithEndsWith(String id, String expected) throws Exception {
    String rule =
        "{\"if\": [{\"starts_with\": [{\"var\": \"id\"}, \"abc\"]}, \"prefix\", {\"if\":"
            + " [{\"ends_with\": [{\"var\": \"id\"}, \"xyz\"]}, \"postfix\", \"none\"]}]}";
    assertThat(eval(rule, "{\"id\": \"" + id + "\"}")).isEqualTo(expected);
  }

  @Test
  void startsWithEndsWith_nonStringOrWrongArity_yieldsNull() throws Exception {
    assertThat(
            eval(
                "{\"if\": [{\"starts_with\": [{\"var\": \"num\"}, \"abc\"]}, 1, 2]}",
                "{\"num\": 123}"))
        .isNull();
    assertThat(
            eval(
                "{\"if\": [{\"ends_with\": [{\"var\": \"num\"}, \"xyz\"]}, 1, 2]}",
                "{\"num\": 123}"))
        .isNull();
    assertThat(eval("{\"if\": [{\"starts_with\": [\"abc\"]}, 1, 2]}", "{}")).isNull();
    assertThat(eval("{\"if\": [{\"ends_with\": [\"xyz\"]}, 1, 2]}", "{}")).isNull();
  }

  // ------------------------------------------------------------------ $flagd, $ref

  @Test
  void var_readsFlagdPropertiesThroughNestedPath() throws Exception {
    assertThat(evalFlag("{\"var\": \"$flagd.flagKey\"}", "my-flag", null, "{}"))
        .isEqualTo("my-flag");
    assertThat(evalFlag("{\">\": [{\"var\": \"$flagd.timestamp\"}, 1600000000]}", "f", null, "{}"))
        .isEqualTo(true);
  }

  @Test
  void ref_isResolvedAgainstEvaluators() throws Exception {
    Map<String, Object> evaluators =
        RuleTesting.evaluators(
            "{\"is_ballmer\": {\"==\": [\"ballmer@macrosoft.com\", {\"var\": [\"email\"]}]}}");
    Rule rule =
        RuleCompiler.compile(
            json("{\"if\": [{\"$ref\": \"is_ballmer\"}, \"hi\", \"bye\"]}"), evaluators, "t");
    assertThat(rule.evaluate(new MapData(json("{\"email\": \"ballmer@macrosoft.com\"}"))))
        .isEqualTo("hi");
    assertThat(rule.evaluate(new MapData(json("{\"email\": \"x@y.z\"}")))).isEqualTo("bye");
  }
}
