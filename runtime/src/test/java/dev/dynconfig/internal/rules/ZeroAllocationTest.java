package dev.dynconfig.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hot evaluation path allocates nothing for the common rule shapes. */
class ZeroAllocationTest {

  @BeforeAll
  static void requireAllocationCounting() {
    Assumptions.assumeTrue(Allocations.supported(), "thread allocation counting unavailable");
  }

  private static RuleData data() {
    Map<String, Object> d = new HashMap<>();
    d.put("plan", "premium");
    d.put("country", "FR");
    d.put("email", "ada@acme.com");
    d.put("age", 42);
    d.put("score", 7.5);
    d.put("user", Map.of("plan", "premium", "tier", 3));
    d.put("$flagd", Map.of("flagKey", "checkout", "timestamp", 1_700_000_000L));
    d.put("targetingKey", "user-1234");
    return new MapData(d, "checkout", "user-1234");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = "|",
      value = {
        "{\"==\": [{\"var\": \"plan\"}, \"premium\"]}|true",
        "{\"!=\": [{\"var\": \"user.plan\"}, \"free\"]}|true",
        "{\"===\": [{\"var\": \"missing\"}, \"x\"]}|false",
        "{\"in\": [{\"var\": \"country\"}, [\"DE\", \"FR\", \"IT\"]]}|true",
        "{\"in\": [\"@acme\", {\"var\": \"email\"}]}|true",
        "{\"starts_with\": [{\"var\": \"email\"}, \"ada@\"]}|true",
        "{\"ends_with\": [{\"var\": \"email\"}, \".org\"]}|false",
        "{\">\": [{\"var\": \"age\"}, 18]}|true",
        "{\"<=\": [{\"var\": \"score\"}, 7.5]}|true",
        "{\"<\": [1, {\"var\": \"user.tier\"}, 5]}|true",
        "{\">=\": [{\"var\": \"$flagd.timestamp\"}, 1600000000]}|true",
        "{\"and\": [{\"==\": [{\"var\": \"plan\"}, \"premium\"]}, {\"!\": {\"var\": \"banned\"}}]}|true",
        "{\"if\": [{\"in\": [{\"var\": \"country\"}, [\"US\"]]}, \"us\", \"world\"]}|world",
        "{\"fractional\": [[\"on\", 25], [\"off\", 75]]}|",
        "{\"fractional\": [{\"var\": \"targetingKey\"}, [\"a\", 1], [\"b\", 1]]}|",
        "{\"fractional\": [{\"cat\": [{\"var\": \"$flagd.flagKey\"}, {\"var\": \"email\"}]}, [\"a\", 50], [\"b\", 50]]}|",
      })
  void evaluate_allocatesNothing(String ruleJson, String expected) throws Exception {
    Rule rule = RuleTesting.compile(ruleJson);
    RuleData data = data();
    Object result = rule.evaluate(data);
    if (expected != null) {
      assertThat(String.valueOf(result)).isEqualTo(expected);
    }
    Object[] sink = new Object[1];
    long bytes =
        Allocations.of(
            100_000,
            () -> {
              sink[0] = rule.evaluate(data);
              sink[0] = rule.test(data);
            });
    assertThat(bytes).as("bytes allocated by 100,000 evaluations of %s", ruleJson).isZero();
  }
}
