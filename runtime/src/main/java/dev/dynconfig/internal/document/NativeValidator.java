package dev.dynconfig.internal.document;

import static dev.dynconfig.internal.document.FieldChecks.field;
import static dev.dynconfig.internal.document.FieldChecks.inPercentRange;

import dev.dynconfig.FeatureFlag;
import dev.dynconfig.internal.json.Json;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The native format's own parts: roles and the {@code flags} array. A flag's targeting is compiled
 * by {@link TargetingRules}; tests and config are checked alike in both formats.
 */
final class NativeValidator {
  static final Set<String> FLAG_FIELDS =
      Set.of(
          "key",
          "defaultValue",
          "name",
          "description",
          "environments",
          "minRole",
          "rolloutPercentage",
          "expiresAt",
          "variant",
          "metadata",
          "targeting");

  private final FieldChecks checks;
  private final TargetingRules rules;
  private final Map<String, Object> rawFlags;

  NativeValidator(FieldChecks checks, TargetingRules rules, Map<String, Object> rawFlags) {
    this.checks = checks;
    this.rules = rules;
    this.rawFlags = rawFlags;
  }

  List<String> roles(Object v) {
    if (v == null) {
      return List.of();
    }
    List<String> roles = checks.stringList(v, "roles");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < roles.size(); i++) {
      if (!seen.add(roles.get(i))) {
        checks.problem("roles[" + i + "]", roles.get(i), "is listed twice; each role has one rank");
      }
    }
    return roles;
  }

  List<FeatureFlag> flags(Object v, List<String> roles) {
    return checks.objectsWithIds(
        checks.optionalArray(v, "flags", "must be an array of flags"),
        "flags",
        "key",
        "every flag needs a unique key",
        FLAG_FIELDS,
        "a flag",
        item -> nativeFlag(item, roles));
  }

  private FeatureFlag nativeFlag(FieldChecks.Item item, List<String> roles) {
    Map<String, Object> m = item.fields();
    String path = item.path();
    String key = item.id();
    boolean defaultValue = false;
    if (m.containsKey("defaultValue")) {
      Object d = m.get("defaultValue");
      if (d instanceof Boolean b) {
        defaultValue = b;
      } else {
        checks.problem(field(path, "defaultValue"), d, "must be true or false");
      }
    }
    String name = checks.optionalString(m, "name", path);
    String description = checks.optionalString(m, "description", path);
    String variant = checks.optionalString(m, "variant", path);
    List<String> environments =
        m.get("environments") == null
            ? null
            : checks.stringList(m.get("environments"), field(path, "environments"));
    String minRole = checks.optionalString(m, "minRole", path);
    if (minRole != null && !roles.contains(minRole)) {
      checks.problem(
          field(path, "minRole"),
          minRole,
          roles.isEmpty()
              ? "is not a known role: the document declares no roles"
              : "is not one of the roles " + Json.write(roles));
    }
    Double rollout = null;
    Object r = m.get("rolloutPercentage");
    if (r != null) {
      if (!(r instanceof Number n)) {
        checks.problem(field(path, "rolloutPercentage"), r, "must be a number from 0 to 100");
      } else if (!inPercentRange(n)) {
        checks.problem(field(path, "rolloutPercentage"), r, "is outside 0..100");
      } else {
        rollout = n.doubleValue();
      }
    }
    Instant expiresAt = checks.instant(m.get("expiresAt"), field(path, "expiresAt"));
    Map<String, Object> metadata =
        m.get("metadata") == null
            ? Map.of()
            : checks.object(m.get("metadata"), field(path, "metadata"));
    Object targeting = m.get("targeting");
    if (targeting != null && key != null) {
      rules.compile(key, targeting, field(path, "targeting"));
    }
    if (!checks.clean(item) || key == null) {
      return null;
    }
    rawFlags.put(key, m);
    return new FeatureFlag(
        key,
        defaultValue,
        name,
        description,
        environments,
        minRole,
        rollout,
        expiresAt,
        variant,
        metadata,
        targeting);
  }
}
