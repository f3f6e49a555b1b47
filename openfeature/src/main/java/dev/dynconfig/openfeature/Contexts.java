package dev.dynconfig.openfeature;

import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.Value;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Maps an OpenFeature evaluation context to a dynconfig one: the targeting key is the bucketing
 * key; the string attributes {@code userId}, {@code sessionId}, {@code userRole} and {@code
 * environment} also fill dynconfig's fields of the same names (minimum role, environment, bucketing
 * without a targeting key); every attribute is a custom attribute for targeting rules, nested
 * structures as maps, lists as lists, instants as ISO-8601 strings.
 *
 * <p>Attributes are read lazily, per name a rule asks for, so an evaluation converts only what it
 * uses instead of copying the whole (possibly layered) context.
 */
final class Contexts {
  static final String USER_ID = "userId";
  static final String SESSION_ID = "sessionId";
  static final String USER_ROLE = "userRole";
  static final String ENVIRONMENT = "environment";

  private Contexts() {}

  static dev.dynconfig.EvaluationContext toDynconfig(EvaluationContext context) {
    if (context == null) {
      return dev.dynconfig.EvaluationContext.empty();
    }
    String targetingKey = context.getTargetingKey();
    return dev.dynconfig.EvaluationContext.of(
        targetingKey == null || targetingKey.isEmpty() ? null : targetingKey,
        string(context, USER_ID),
        string(context, SESSION_ID),
        string(context, ENVIRONMENT),
        string(context, USER_ROLE),
        new Attributes(context));
  }

  private static String string(EvaluationContext context, String name) {
    Value v = context.getValue(name);
    return v == null ? null : v.asString();
  }

  /**
   * The context's attributes as plain JSON values, converted on each read. Valid for one
   * evaluation: the engine reads it during the call and keeps no reference.
   */
  static final class Attributes extends AbstractMap<String, Object> {
    private final EvaluationContext context;

    Attributes(EvaluationContext context) {
      this.context = context;
    }

    @Override
    public Object get(Object name) {
      if (!(name instanceof String s)) {
        return null;
      }
      return Values.toPlain(context.getValue(s));
    }

    @Override
    public boolean containsKey(Object name) {
      return name instanceof String s && context.getValue(s) != null;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      // Only for whole-context uses (toString, a rule reading the whole data): built on demand.
      Set<Entry<String, Object>> entries = new LinkedHashSet<>();
      for (String name : context.keySet()) {
        entries.add(new SimpleImmutableEntry<>(name, get(name)));
      }
      return Collections.unmodifiableSet(entries);
    }
  }
}
