package dev.dynconfig.jmx;

import dev.dynconfig.AbTest;
import dev.dynconfig.TestVariant;
import dev.dynconfig.internal.engine.EngineIntrospection;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code dev.dynconfig:type=Test,name=<id>}; reads the live snapshot on every call. */
final class AbTestBean implements AbTestMXBean {
  private final EngineIntrospection engine;
  private final String id;

  AbTestBean(EngineIntrospection engine, String id) {
    this.engine = engine;
    this.id = id;
  }

  private AbTest test() {
    return engine.test(id);
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
    return new LinkedHashMap<>(engine.assignmentCounts(id));
  }

  @Override
  public long getUnassignedCount() {
    return engine.unassignedCount(id);
  }

  @Override
  public String getDefinition() {
    String json = engine.testDefinitionJson(id);
    return json == null ? "" : json;
  }

  @Override
  public String[] getGuardedMethods() {
    return JmxRegistration.guardedMethods().forTest(id);
  }
}
