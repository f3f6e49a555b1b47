package dev.dynconfig.internal.engine;

import dev.dynconfig.AbTest;
import dev.dynconfig.DynamicConfigException;
import dev.dynconfig.FeatureFlag;
import dev.dynconfig.TestVariant;
import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.internal.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns flags and tests registered from code into the document's own JSON shape, so they are
 * validated by exactly the same rules (and messages) as documents, and so tools can show them.
 */
final class DefinitionTrees {
  private DefinitionTrees() {}

  static Map<String, Object> flag(FeatureFlag f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", f.key());
    m.put("defaultValue", f.defaultValue());
    putIfSet(m, "name", f.name());
    putIfSet(m, "description", f.description());
    putIfSet(m, "environments", f.environments());
    putIfSet(m, "minRole", f.minRole());
    putIfSet(m, "rolloutPercentage", f.rolloutPercentage());
    putIfSet(m, "expiresAt", f.expiresAt() == null ? null : f.expiresAt().toString());
    putIfSet(m, "variant", f.variant());
    if (f.metadata() != null && !f.metadata().isEmpty()) {
      m.put("metadata", f.metadata());
    }
    putIfSet(m, "targeting", f.targeting());
    return normalize(m, "registerFlag(" + f.key() + ")");
  }

  static Map<String, Object> test(AbTest t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    putIfSet(m, "name", t.name());
    m.put("status", t.status());
    if (t.variants() != null) {
      List<Object> variants = new ArrayList<>();
      for (TestVariant v : t.variants()) {
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("id", v.id());
        putIfSet(vm, "name", v.name());
        vm.put("isControl", v.isControl());
        if (v.config() != null) {
          vm.put("config", v.config());
        }
        variants.add(vm);
      }
      m.put("variants", variants);
    }
    putIfSet(m, "allocation", t.allocation());
    putIfSet(m, "startDate", t.startDate() == null ? null : t.startDate().toString());
    putIfSet(m, "endDate", t.endDate() == null ? null : t.endDate().toString());
    putIfSet(m, "environments", t.environments());
    return normalize(m, "registerTest(" + t.id() + ")");
  }

  private static void putIfSet(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  /** Round-trips through JSON so user-supplied maps/lists become plain, unmodifiable values. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> normalize(Map<String, Object> m, String origin) {
    try {
      return (Map<String, Object>) Json.read(Json.mapper().writeValueAsBytes(m), origin);
    } catch (DocumentException | java.io.IOException e) {
      throw new DynamicConfigException(
          origin + ": cannot be represented as JSON: " + e.getMessage(), e);
    }
  }
}
