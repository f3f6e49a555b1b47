package dev.dynconfig.internal.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** Small helpers: compile JSON text, evaluate against JSON data. */
final class RuleTesting {
  private RuleTesting() {}

  static final ObjectMapper JSON = new ObjectMapper();

  static Object json(String text) {
    try {
      return JSON.readValue(text, Object.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static Rule compile(String rule) throws RuleException {
    return RuleCompiler.compile(json(rule), Map.of(), "flags[0].targeting");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> evaluators(String text) {
    return (Map<String, Object>) json(text);
  }

  static Object eval(String rule, String data) throws RuleException {
    return compile(rule).evaluate(new MapData(json(data)));
  }
}
