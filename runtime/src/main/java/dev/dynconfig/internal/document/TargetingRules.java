package dev.dynconfig.internal.document;

import dev.dynconfig.internal.json.DocumentException.Problem;
import dev.dynconfig.internal.json.Json;
import dev.dynconfig.internal.rules.Rule;
import dev.dynconfig.internal.rules.RuleCompiler;
import dev.dynconfig.internal.rules.RuleException;
import java.util.HashMap;
import java.util.Map;

/**
 * Compiles each flag's targeting once, into the rule map the {@link Document} hands the engine; a
 * rule that does not compile becomes a problem (or, for a kept broken flagd flag, its reason).
 */
final class TargetingRules {
  private final FieldChecks checks;
  private final Map<String, Rule> rules = new HashMap<>();
  private Map<String, Object> evaluators = Map.of();

  TargetingRules(FieldChecks checks) {
    this.checks = checks;
  }

  /** The flagd {@code $evaluators} that {@code $ref}s in later rules resolve against. */
  void useEvaluators(Map<String, Object> evaluators) {
    this.evaluators = evaluators;
  }

  /** The compiled rules, by flag key. */
  Map<String, Rule> rules() {
    return rules;
  }

  void compile(String key, Object rule, String path) {
    Problem p = compileOrExplain(key, rule, path);
    if (p != null) {
      checks.add(p);
    }
  }

  /** Compiles a flag's rule into {@link #rules}; on failure returns why instead. */
  Problem compileOrExplain(String key, Object rule, String path) {
    try {
      rules.put(key, RuleCompiler.compile(rule, evaluators, path));
      return null;
    } catch (RuleException e) {
      return new Problem(e.path(), Json.render(e.value()), e.reason());
    } catch (RuntimeException e) {
      return new Problem(path, Json.render(rule), "could not be compiled: " + e);
    }
  }
}
