package dev.dynconfig.openfeature;

import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.Value;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
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
    // The SDK's own context types expose their attributes without copying or cloning them (their
    // getValue clones); any other implementation (subclasses of MutableContext included, which may
    // override getValue) is asked per name.
    Attributes attributes =
        context instanceof ImmutableContext || context.getClass() == MutableContext.class
            ? new Attributes(context.asUnmodifiableMap(), null)
            : new Attributes(null, context);
    Value key = attributes.value(EvaluationContext.TARGETING_KEY);
    String targetingKey = key == null ? context.getTargetingKey() : key.asString();
    return dev.dynconfig.EvaluationContext.of(
        attributes.string(USER_ID),
        attributes.string(SESSION_ID),
        attributes.string(ENVIRONMENT),
        attributes.string(USER_ROLE),
        attributes,
        targetingKey == null || targetingKey.isEmpty() ? null : targetingKey);
  }

  /**
   * The context's attributes as plain JSON values, converted on each read. Valid for one
   * evaluation: the engine reads it during the call and keeps no reference.
   */
  static final class Attributes extends AbstractMap<String, Object> {
    private final Map<String, Value> values; // the context's own map (read-only), or null
    private final EvaluationContext context; // asked per name when values is null

    Attributes(Map<String, Value> values, EvaluationContext context) {
      this.values = values;
      this.context = context;
    }

    Value value(String name) {
      return values != null ? values.get(name) : context.getValue(name);
    }

    String string(String name) {
      Value v = value(name);
      return v == null ? null : v.asString();
    }

    @Override
    public Object get(Object name) {
      if (!(name instanceof String s)) {
        return null;
      }
      return Values.toPlain(value(s));
    }

    @Override
    public boolean containsKey(Object name) {
      return name instanceof String s && value(s) != null;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      // Only for whole-context uses (toString, a rule reading the whole data): built on demand.
      Set<Entry<String, Object>> entries = new LinkedHashSet<>();
      for (String name : values != null ? values.keySet() : context.keySet()) {
        entries.add(new SimpleImmutableEntry<>(name, get(name)));
      }
      return Collections.unmodifiableSet(entries);
    }
  }
}
