package dev.dynconfig.rules;

import java.util.Map;

/**
 * Compiles JsonLogic rules (with flagd's {@code fractional}, {@code sem_ver}, {@code starts_with},
 * {@code ends_with} and {@code $ref}) into {@link Rule}s, once, at document load time.
 */
public final class RuleCompiler {
  private RuleCompiler() {}

  /**
   * Compiles a rule.
   *
   * @param rule the rule as plain Java JSON values (Map, List, String, Number, Boolean, null)
   * @param evaluators flagd's {@code $evaluators} (name → rule), for {@code {"$ref": name}}; empty
   *     when none
   * @param path the JSON path of the rule in its document, used in error messages (e.g. {@code
   *     flags[2].targeting})
   * @throws RuleException naming the path, the offending value and the reason (unknown operator,
   *     wrong arity, missing or cyclic {@code $ref}, rule too deep or too large)
   */
  public static Rule compile(Object rule, Map<String, Object> evaluators, String path)
      throws RuleException {
    throw new UnsupportedOperationException("TODO(rules)");
  }
}
