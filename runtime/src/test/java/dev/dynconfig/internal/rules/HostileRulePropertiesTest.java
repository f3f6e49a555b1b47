package dev.dynconfig.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random rules built from every operator, with random arguments: each either compiles or is refused
 * with a RuleException, and a compiled rule never throws when evaluated.
 */
class HostileRulePropertiesTest {
  private static final String[] OPS = {
    "var",
    "missing",
    "missing_some",
    "if",
    "?:",
    "==",
    "===",
    "!=",
    "!==",
    "!",
    "!!",
    "or",
    "and",
    ">",
    ">=",
    "<",
    "<=",
    "max",
    "min",
    "+",
    "-",
    "*",
    "/",
    "%",
    "map",
    "filter",
    "reduce",
    "all",
    "none",
    "some",
    "merge",
    "in",
    "cat",
    "substr",
    "fractional",
    "sem_ver",
    "starts_with",
    "ends_with",
    "$ref",
    "unknown_op"
  };

  @Property(tries = 2000)
  void anyRule_compilesOrIsRefused_andNeverThrowsWhenEvaluated(@ForAll long seed) {
    Random r = new Random(seed);
    Object rule = randomRule(r, 0);
    Map<String, Object> evaluators = new LinkedHashMap<>();
    evaluators.put("e", randomRule(r, 2));
    Rule compiled;
    try {
      compiled = RuleCompiler.compile(rule, evaluators, "t");
    } catch (RuleException e) {
      assertThat(e.path().startsWith("t") || e.path().startsWith("$evaluators.e")).isTrue();
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("a", randomValue(r, 0));
    data.put("b", randomValue(r, 0));
    data.put("xs", List.of(1, "2", List.of(3)));
    long failuresBefore = CompiledRule.unexpectedFailures();
    compiled.evaluate(new MapData(data, "flag", r.nextBoolean() ? "user" : null));
    assertThat(CompiledRule.unexpectedFailures())
        .as("an internal exception escaped evaluation of %s", rule)
        .isEqualTo(failuresBefore);
  }

  private static Object randomRule(Random r, int depth) {
    if (depth > 4 || r.nextInt(3) == 0) {
      return r.nextBoolean() ? randomValue(r, depth) : Map.of("var", r.nextBoolean() ? "a" : "xs");
    }
    String op = OPS[r.nextInt(OPS.length)];
    if (op.equals("$ref")) {
      return Map.of("$ref", r.nextBoolean() ? "e" : "nope");
    }
    int n = r.nextInt(4);
    List<Object> args = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      args.add(randomRule(r, depth + 1));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(op, r.nextInt(5) == 0 && !args.isEmpty() ? args.get(0) : args);
    return m;
  }

  private static Object randomValue(Random r, int depth) {
    switch (r.nextInt(9)) {
      case 0:
        return null;
      case 1:
        return r.nextBoolean();
      case 2:
        return r.nextInt(200) - 100;
      case 3:
        return r.nextDouble() * 1e6 - 5e5;
      case 4:
        return new String[] {"", "a", "1.0.0", "v2", "abc", "1e3", " 7 ", "\uD800"}[r.nextInt(8)];
      case 5:
        return depth > 3 ? 1 : Arrays.asList(randomValue(r, depth + 1), randomValue(r, depth + 1));
      case 6:
        return Long.MAX_VALUE;
      case 7:
        return Double.NaN;
      default:
        return depth > 3 ? "x" : List.of("on", r.nextInt(100));
    }
  }
}
