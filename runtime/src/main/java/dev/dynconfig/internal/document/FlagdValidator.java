package dev.dynconfig.internal.document;

import static dev.dynconfig.internal.document.FieldChecks.cast;
import static dev.dynconfig.internal.document.FieldChecks.field;

import dev.dynconfig.internal.document.FlagdFlag.VariantType;
import dev.dynconfig.internal.json.DocumentException.Problem;
import dev.dynconfig.internal.json.Json;
import dev.dynconfig.internal.rules.RuleCompiler;
import dev.dynconfig.internal.rules.RuleException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flagd format's own parts: {@code $evaluators} and the {@code flags} (object or array form),
 * keeping a flag whose targeting does not compile as broken when the caller asks for flagd's
 * lenience.
 */
final class FlagdValidator {
  private final FieldChecks checks;
  private final TargetingRules rules;
  private final Map<String, Object> rawFlags;
  private final boolean keepBrokenFlagdFlags;
  private final Map<String, Problem> brokenFlags = new LinkedHashMap<>();

  FlagdValidator(
      FieldChecks checks,
      TargetingRules rules,
      Map<String, Object> rawFlags,
      boolean keepBrokenFlagdFlags) {
    this.checks = checks;
    this.rules = rules;
    this.rawFlags = rawFlags;
    this.keepBrokenFlagdFlags = keepBrokenFlagdFlags;
  }

  /** The flags kept as broken, by key, with why. */
  Map<String, Problem> brokenFlags() {
    return brokenFlags;
  }

  Map<String, Object> evaluators(Object v) {
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> raw)) {
      checks.problem("$evaluators", v, "must be an object of evaluator name → rule");
      return Map.of();
    }
    Map<String, Object> m = cast(raw);
    // Compile every evaluator on its own as well, so a broken one is reported even when unused.
    // When broken flags are kept, a broken evaluator breaks only the flags that use it.
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String path = field("$evaluators", e.getKey());
      if (e.getKey().isEmpty()) {
        checks.problem(path, e.getKey(), "must not be empty");
        continue;
      }
      if (keepBrokenFlagdFlags) {
        continue;
      }
      try {
        RuleCompiler.compile(e.getValue(), m, path);
      } catch (RuleException ex) {
        checks.add(new Problem(ex.path(), Json.render(ex.value()), ex.reason()));
      } catch (RuntimeException ex) {
        checks.problem(path, e.getValue(), "could not be compiled: " + ex);
      }
    }
    return m;
  }

  List<FlagdFlag> flags(Object v, String schema) {
    List<FlagdFlag> out = new ArrayList<>();
    if (v instanceof Map<?, ?> raw) {
      for (Map.Entry<String, Object> e : FieldChecks.<Object>cast(raw).entrySet()) {
        String path = field("flags", e.getKey());
        if (e.getKey().isEmpty()) {
          checks.problem(path, e.getKey(), "is not a valid flag key: keys must not be empty");
          continue;
        }
        FlagdFlag f = flagdFlag(e.getKey(), e.getValue(), path);
        if (f != null) {
          out.add(f);
        }
      }
      return out;
    }
    if (!(v instanceof List<?> list)) {
      // Detected as flagd by $evaluators or $schema: flagd's schema requires flags.
      checks.problem(
          "flags",
          v,
          v == null
              ? "is missing: a flagd document needs an object of flag key → flag"
              : "must be an object of flag key → flag");
      return out;
    }
    if (schema != null && schema.endsWith("flags.json")) {
      checks.problem(
          "flags",
          v,
          "must be an object of flag key → flag: the declared schema "
              + Json.write(schema)
              + " does not allow the array form (only flagd.json does)");
      return out;
    }
    // A flag whose key is missing or taken is not checked further.
    return checks.objectsWithIds(
        list,
        "flags",
        "key",
        "every flag in the array form needs a unique key",
        null,
        null,
        item -> checks.clean(item) ? flagdFlag(item.id(), item.fields(), item.path()) : null);
  }

  private FlagdFlag flagdFlag(String key, Object v, String path) {
    if (!(v instanceof Map<?, ?> raw)) {
      checks.problem(path, v, "must be an object with state and variants");
      return null;
    }
    Map<String, Object> m = cast(raw);
    int before = checks.count();
    Object state = m.get("state");
    if (state == null) {
      checks.problem(field(path, "state"), null, "is missing (ENABLED or DISABLED)");
    } else if (!"ENABLED".equals(state) && !"DISABLED".equals(state)) {
      checks.problem(field(path, "state"), state, "must be ENABLED or DISABLED");
    }
    Map<String, Object> variants = Map.of();
    VariantType type = null;
    Object vs = m.get("variants");
    String vpath = field(path, "variants");
    if (vs == null) {
      checks.problem(vpath, null, "is missing: a flag needs at least one variant");
    } else if (!(vs instanceof Map<?, ?> vm)) {
      checks.problem(vpath, vs, "must be an object of variant name → value");
    } else if (vm.isEmpty()) {
      checks.problem(vpath, vs, "must name at least one variant");
    } else {
      variants = cast(vm);
      Set<VariantType> types = new java.util.LinkedHashSet<>();
      for (Map.Entry<String, Object> e : variants.entrySet()) {
        VariantType t = VariantType.of(e.getValue());
        if (e.getKey().isEmpty()) {
          checks.problem(
              field(vpath, e.getKey()), e.getKey(), "is not a valid variant name (empty)");
        }
        if (t == null) {
          checks.problem(
              field(vpath, e.getKey()),
              e.getValue(),
              "must be a boolean, string, number or object");
        } else {
          types.add(t);
        }
      }
      if (types.size() > 1) {
        List<String> labels = new ArrayList<>();
        for (VariantType t : types) {
          labels.add(t.label());
        }
        checks.problem(
            vpath,
            vs,
            "mixes "
                + String.join(" and ", labels)
                + " values; all variants of a flag share one type");
      } else if (types.size() == 1) {
        type = types.iterator().next();
      }
    }
    String defaultVariant = null;
    Object dv = m.get("defaultVariant");
    if (dv != null) {
      if (!(dv instanceof String s)) {
        checks.problem(field(path, "defaultVariant"), dv, "must be a variant name or null");
      } else if (!variants.isEmpty() && !variants.containsKey(s)) {
        checks.problem(
            field(path, "defaultVariant"),
            dv,
            "is not one of the variants " + Json.write(new ArrayList<>(variants.keySet())));
      } else {
        defaultVariant = s;
      }
    }
    Map<String, Object> metadata =
        m.get("metadata") == null
            ? Map.of()
            : checks.metadata(m.get("metadata"), field(path, "metadata"));
    Object targeting = m.get("targeting");
    // flagd treats an empty targeting object as "no targeting".
    if (targeting instanceof Map<?, ?> tm && tm.isEmpty()) {
      targeting = null;
    }
    if (targeting != null) {
      if (keepBrokenFlagdFlags) {
        Problem broken = rules.compileOrExplain(key, targeting, field(path, "targeting"));
        if (broken != null) {
          brokenFlags.put(key, broken);
        }
      } else {
        rules.compile(key, targeting, field(path, "targeting"));
      }
    }
    if (checks.count() != before) {
      brokenFlags.remove(key);
      return null;
    }
    rawFlags.put(key, m);
    return new FlagdFlag(
        key, "ENABLED".equals(state), variants, defaultVariant, targeting, metadata, type);
  }
}
