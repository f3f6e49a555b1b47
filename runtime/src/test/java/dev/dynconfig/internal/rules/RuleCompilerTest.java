package dev.dynconfig.internal.rules;

import static dev.dynconfig.internal.rules.RuleTesting.eval;
import static dev.dynconfig.internal.rules.RuleTesting.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleCompilerTest {

  private static RuleException compileError(Object rule, Map<String, Object> evaluators) {
    try {
      RuleCompiler.compile(rule, evaluators, "flags[2].targeting");
    } catch (RuleException e) {
      return e;
    }
    throw new AssertionError("expected a RuleException");
  }

  @Test
  void unknownOperator_isRejected_withPreciseJsonPath() {
    RuleException e = compileError(json("{\"and\": [true, {\"bogus\": [1]}]}"), Map.of());
    assertThat(e.path()).isEqualTo("flags[2].targeting.and[1]");
    assertThat(e.value()).isEqualTo("bogus");
    assertThat(e.reason()).isEqualTo("is not a known operator");
    assertThat(e.getMessage())
        .isEqualTo("flags[2].targeting.and[1]: \"bogus\" is not a known operator");
  }

  @Test
  void unknownOperator_pathUsesBracketsForSymbolOperators() {
    RuleException e =
        compileError(json("{\"if\": [{\"==\": [1, {\"nope\": 1}]}, 1, 2]}"), Map.of());
    assertThat(e.path()).isEqualTo("flags[2].targeting.if[0][\"==\"][1]");
  }

  @Test
  void unknownOperator_insideNonArrayArgument_andInsideFractional() {
    assertThat(compileError(json("{\"!\": {\"nope\": 1}}"), Map.of()).path())
        .isEqualTo("flags[2].targeting[\"!\"]");
    assertThat(compileError(json("{\"fractional\": [{\"nope\": 1}, [\"a\", 1]]}"), Map.of()).path())
        .isEqualTo("flags[2].targeting.fractional[0]");
    assertThat(compileError(json("{\"fractional\": [[{\"nope\": 1}, 1]]}"), Map.of()).path())
        .isEqualTo("flags[2].targeting.fractional[0][0]");
  }

  @Test
  void ref_toMissingEvaluator_isRejected() {
    RuleException e = compileError(json("{\"if\": [{\"$ref\": \"nonexistent\"}, 1, 2]}"), Map.of());
    assertThat(e.path()).isEqualTo("flags[2].targeting.if[0].$ref");
    assertThat(e.value()).isEqualTo("nonexistent");
    assertThat(e.reason()).contains("not defined in $evaluators");
  }

  @Test
  void ref_cycle_isRejected_namingTheCycle() {
    Map<String, Object> evaluators =
        RuleTesting.evaluators(
            "{\"a\": {\"and\": [true, {\"$ref\": \"b\"}]}, \"b\": {\"or\": [{\"$ref\": \"a\"}]}}");
    RuleException e = compileError(json("{\"$ref\": \"a\"}"), evaluators);
    assertThat(e.reason()).contains("a -> b -> a");
    assertThat(e.path()).isEqualTo("$evaluators.b.or[0].$ref");
    Map<String, Object> self = RuleTesting.evaluators("{\"s\": {\"!\": {\"$ref\": \"s\"}}}");
    assertThat(compileError(json("{\"$ref\": \"s\"}"), self).reason()).contains("s -> s");
  }

  @Test
  void ref_errorsInsideEvaluator_pointIntoEvaluators() {
    Map<String, Object> evaluators = RuleTesting.evaluators("{\"e\": {\"or\": [{\"zzz\": 1}]}}");
    RuleException e = compileError(json("{\"$ref\": \"e\"}"), evaluators);
    assertThat(e.path()).isEqualTo("$evaluators.e.or[0]");
  }

  @Test
  void ref_usedTwice_isFine_andNonStringNameRejected() throws Exception {
    Map<String, Object> evaluators = RuleTesting.evaluators("{\"t\": {\"var\": \"x\"}}");
    Rule rule =
        RuleCompiler.compile(
            json("{\"and\": [{\"$ref\": \"t\"}, {\"$ref\": \"t\"}]}"), evaluators, "p");
    assertThat(rule.test(new MapData(json("{\"x\": 1}")))).isTrue();
    assertThat(compileError(json("{\"$ref\": 5}"), evaluators).reason()).contains("string");
  }

  @Test
  void deepRule_isRejected_beyondDepthLimit() {
    Object rule = true;
    for (int i = 0; i < 100; i++) {
      rule = Map.of("!", List.of(rule));
    }
    RuleException e = compileError(rule, Map.of());
    assertThat(e.reason()).contains("deeper than " + RuleCompiler.MAX_DEPTH);
  }

  @Test
  void deepRule_withinLimit_compiles() throws Exception {
    Object rule = true;
    for (int i = 0; i < 30; i++) {
      rule = Map.of("!", List.of(rule)); // two levels each (object + array): 60 deep
    }
    assertThat(RuleCompiler.compile(rule, Map.of(), "p").evaluate(new MapData(Map.of())))
        .isEqualTo(true);
  }

  @Test
  void largeRule_isRejected_beyondNodeLimit() {
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < RuleCompiler.MAX_NODES; i++) {
      items.add(Map.of("var", "x" + i));
    }
    RuleException e = compileError(Map.of("or", items), Map.of());
    assertThat(e.reason()).contains("larger than " + RuleCompiler.MAX_NODES);
  }

  @Test
  void refFanOut_countsExpandedSize_soExponentialRulesAreRejected() {
    // e0 = [e1, e1], e1 = [e2, e2], ...: 2^20 nodes after expansion.
    Map<String, Object> evaluators = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      evaluators.put(
          "e" + i,
          Map.of("and", List.of(Map.of("$ref", "e" + (i + 1)), Map.of("$ref", "e" + (i + 1)))));
    }
    evaluators.put("e20", true);
    RuleException e = compileError(Map.of("$ref", "e0"), evaluators);
    assertThat(e.reason()).contains("larger than");
  }

  @Test
  void nonJsonValue_isRejected() {
    assertThat(compileError(Map.of("==", List.of(new Object(), 1)), Map.of()).reason())
        .contains("not a JSON value");
  }

  @Test
  void loops_areBoundedPerEvaluation() throws Exception {
    List<Integer> big = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      big.add(i);
    }
    // 1000 × 1000 iterations exceeds the budget: the evaluation stops with an error.
    Rule rule =
        RuleTesting.compile(
            "{\"some\": [{\"var\": \"xs\"}, {\"some\": [{\"var\": \"\"}, false]}]}");
    Rule nested =
        RuleTesting.compile(
            "{\"map\": [{\"var\": \"xs\"}, {\"reduce\": [[1,2,3], {\"+\": [{\"var\":"
                + " \"current\"}, {\"var\": \"accumulator\"}]}, 0]}]}");
    assertThat(nested.evaluate(new MapData(Map.of("xs", big)))).asList().hasSize(1000);
    Rule quadratic =
        RuleTesting.compile(
            "{\"map\": [{\"var\": \"xs\"}, {\"map\": [[" + "0,".repeat(999) + "0], 1]}]}");
    assertThatThrownBy(() -> quadratic.evaluate(new MapData(Map.of("xs", big))))
        .isInstanceOf(RuleLimitException.class)
        .hasMessageContaining("loop iterations");
    assertThat(rule.evaluate(new MapData(Map.of("xs", big)))).isEqualTo(false);
  }

  @Test
  void evaluate_neverThrows_whenRuleDataMisbehaves() throws Exception {
    Rule rule = RuleTesting.compile("{\"==\": [{\"var\": \"x\"}, 1]}");
    RuleData broken =
        new RuleData() {
          @Override
          public Object get(String name) {
            throw new IllegalStateException("boom");
          }

          @Override
          public String flagKey() {
            return "f";
          }

          @Override
          public String targetingKey() {
            return null;
          }
        };
    assertThat(rule.evaluate(broken)).isNull();
    assertThat(rule.test(broken)).isFalse();
  }

  // ------------------------------------------------------------- JavaScript semantics beyond the
  // suite

  @Test
  void looseEquality_followsJavaScript() throws Exception {
    assertThat(eval("{\"==\": [1, \"1\"]}", "null")).isEqualTo(true);
    assertThat(eval("{\"==\": [0, false]}", "null")).isEqualTo(true);
    assertThat(eval("{\"==\": [null, false]}", "null")).isEqualTo(false);
    assertThat(eval("{\"==\": [\"\", 0]}", "null")).isEqualTo(true);
    assertThat(eval("{\"==\": [[1], 1]}", "null")).isEqualTo(true);
    assertThat(eval("{\"==\": [\"1,2\", [1,2]]}", "null")).isEqualTo(true);
    assertThat(eval("{\"==\": [{\"var\": \"n\"}, 18]}", "{\"n\": 18.0}")).isEqualTo(true);
    assertThat(eval("{\"===\": [1, \"1\"]}", "null")).isEqualTo(false);
    assertThat(eval("{\"==\": [\" 0x10 \", 16]}", "null")).isEqualTo(true);
  }

  @Test
  void truthiness_followsJsonLogic() throws Exception {
    assertThat(eval("{\"!!\": [[]]}", "null")).isEqualTo(false);
    assertThat(eval("{\"!!\": [\"0\"]}", "null")).isEqualTo(true);
    assertThat(eval("{\"!!\": [{\"var\": \"o\"}]}", "{\"o\": {}}")).isEqualTo(true);
  }

  @Test
  void var_supportsDefaultsIndexesAndWholeData() throws Exception {
    assertThat(eval("{\"var\": [\"a.b\", \"d\"]}", "{\"a\": {}}")).isEqualTo("d");
    assertThat(eval("{\"var\": [\"a.b\", \"d\"]}", "{\"a\": {\"b\": null}}")).isNull();
    assertThat(eval("{\"var\": \"xs.1\"}", "{\"xs\": [\"p\", \"q\"]}")).isEqualTo("q");
    assertThat(eval("{\"var\": 1}", "[\"p\", \"q\"]")).isEqualTo("q");
    assertThat(eval("{\"var\": \"\"}", "5")).isEqualTo(5);
    assertThat(eval("{\"var\": {\"cat\": [\"a\", \".b\"]}}", "{\"a\": {\"b\": 7}}")).isEqualTo(7);
  }

  @Test
  void numbers_printLikeJavaScript_inCat() throws Exception {
    assertThat(eval("{\"cat\": [1, \"/\", 1.5, \"/\", {\"/\": [1, 3]}, \"/\", null]}", "null"))
        .isEqualTo("1/1.5/0.3333333333333333/");
    assertThat(eval("{\"cat\": [{\"*\": [1e21, 10]}, \" \", 1e-7]}", "null"))
        .isEqualTo("1e+22 1e-7");
  }

  @Test
  void arithmetic_returnsIntegralResultsAsLongs() throws Exception {
    assertThat(eval("{\"+\": [1, 2]}", "null")).isEqualTo(3L);
    assertThat(eval("{\"/\": [1, 4]}", "null")).isEqualTo(0.25);
    assertThat(eval("{\"/\": [1, 0]}", "null")).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void literalsAreImmutable_andArrayResultsFresh() throws Exception {
    Rule rule = RuleTesting.compile("{\"merge\": [[1], {\"var\": \"x\"}]}");
    Object first = rule.evaluate(new MapData(json("{\"x\": 2}")));
    assertThat(first).asList().containsExactly(1, 2);
    ((List<?>) first).clear();
    assertThat(rule.evaluate(new MapData(json("{\"x\": 2}")))).asList().containsExactly(1, 2);
  }

  @Test
  void multiKeyObjects_areData() throws Exception {
    assertThat(eval("{\"if\": [true, {\"a\": 1, \"b\": 2}]}", "null"))
        .isEqualTo(Map.of("a", 1, "b", 2));
  }

  @Test
  void doublingAStringWithReduce_overTheDocumentsOwnConstants_isRefusedAtCompileTime() {
    // The 291-byte rule of issue 13: 40 doublings of "ab" would be 2 TiB of characters.
    String range =
        java.util.stream.IntStream.range(0, 40)
            .mapToObj(Integer::toString)
            .collect(java.util.stream.Collectors.joining(","));
    RuleException e =
        compileError(
            RuleTesting.json(
                "{\"reduce\": [["
                    + range
                    + "], {\"cat\": [{\"var\": \"accumulator\"}, {\"var\":"
                    + " \"accumulator\"}]}, \"ab\"]}"),
            Map.of());
    assertThat(e.path()).isEqualTo("flags[2].targeting.reduce");
    assertThat(e.reason()).contains("exceeds the evaluation limits").contains("characters");
    // The same with merge (arrays).
    RuleException m =
        compileError(
            RuleTesting.json(
                "{\"reduce\": [["
                    + range
                    + "], {\"merge\": [{\"var\": \"accumulator\"}, {\"var\":"
                    + " \"accumulator\"}]}, [1]]}"),
            Map.of());
    assertThat(m.reason()).contains("elements");
  }

  @Test
  void doublingOverTheCallersData_stopsTheEvaluationWithABoundedError() throws Exception {
    Rule rule =
        RuleTesting.compile(
            "{\"reduce\": [{\"var\": \"xs\"}, {\"cat\": [{\"var\": \"accumulator\"},"
                + " {\"var\": \"accumulator\"}]}, \"ab\"]}");
    List<Integer> xs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      xs.add(i);
    }
    assertThatThrownBy(() -> rule.evaluate(new MapData(Map.of("xs", xs))))
        .isInstanceOf(RuleLimitException.class)
        .hasMessageContaining("characters");
    // A list of many references to one long string must not be joined into gigabytes either.
    Rule join = RuleTesting.compile("{\"cat\": [{\"map\": [{\"var\": \"xs\"}, {\"var\": \"\"}]}]}");
    String longOne = "y".repeat(200_000);
    List<String> many = java.util.Collections.nCopies(50_000, longOne);
    assertThatThrownBy(() -> join.evaluate(new MapData(Map.of("xs", many))))
        .isInstanceOf(RuleLimitException.class);
    // Below the bounds nothing changes.
    assertThat(rule.evaluate(new MapData(Map.of("xs", List.of(1, 2, 3)))))
        .isEqualTo("ab".repeat(8));
  }
}
