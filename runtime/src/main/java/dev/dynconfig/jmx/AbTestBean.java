package dev.dynconfig.jmx;

import dev.dynconfig.AbTest;
import dev.dynconfig.DynamicConfig;
import dev.dynconfig.TestVariant;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code dev.dynconfig:type=Test,name=<id>}; reads the live snapshot on every call. */
final class AbTestBean implements AbTestMXBean {
  private final DynamicConfig config;
  private final String id;

  AbTestBean(DynamicConfig config, String id) {
    this.config = config;
    this.id = id;
  }

  private AbTest test() {
    return config.introspection().test(id);
  }

  @Override
  public String getId() {
    return id;
  }

  @Override
  public String getName() {
    AbTest t = test();
    return t == null || t.name() == null ? "" : t.name();
  }

  @Override
  public String getStatus() {
    AbTest t = test();
    return t == null ? "removed" : String.valueOf(t.status());
  }

  @Override
  public Map<String, Double> getAllocation() {
    AbTest t = test();
    Map<String, Double> out = new LinkedHashMap<>();
    if (t != null && t.allocation() != null) {
      for (TestVariant v : t.variants()) {
        out.put(v.id(), t.allocation().getOrDefault(v.id(), 0.0));
      }
    }
    return out;
  }

  @Override
  public Map<String, Long> getAssignmentCounts() {
    return new LinkedHashMap<>(config.introspection().assignmentCounts(id));
  }

  @Override
  public long getUnassignedCount() {
    return config.introspection().unassignedCount(id);
  }

  @Override
  public String getDefinition() {
    String json = config.introspection().testDefinitionJson(id);
    return json == null ? "" : json;
  }

  @Override
  public String[] getGuardedMethods() {
    return GuardedMethods.forTest(id);
  }
}
