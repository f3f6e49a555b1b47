package dev.dynconfig.jmx;

import dev.dynconfig.DynamicConfigState;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.TestVariant;
import dev.dynconfig.internal.engine.EngineIntrospection;
import dev.dynconfig.internal.engine.EngineIntrospection.AssignmentResult;
import dev.dynconfig.internal.json.Json;
import dev.dynconfig.internal.json.StrictJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** {@code dev.dynconfig:type=DynamicConfig}. */
final class DynamicConfigBean implements DynamicConfigMXBean {
  private static final java.util.Set<String> KEYS =
      java.util.Set.of("userId", "sessionId", "environment", "userRole", "targetingKey");
  private final EngineIntrospection engine;

  DynamicConfigBean(EngineIntrospection engine) {
    this.engine = engine;
  }

  @Override
  public boolean isInitialized() {
    return engine.state().initialized();
  }

  @Override
  public String getConnectionStatus() {
    return String.valueOf(engine.state().connectionStatus());
  }

  @Override
  public String getLastSyncedAt() {
    DynamicConfigState s = engine.state();
    return s.lastSyncedAt() == null ? "" : s.lastSyncedAt().toString();
  }

  @Override
  public String getLastError() {
    String e = engine.state().lastError();
    return e == null ? "" : e;
  }

  @Override
  public long getVersion() {
    return engine.version();
  }

  @Override
  public String getSource() {
    return engine.sourceDescription();
  }

  @Override
  public String getEnvironment() {
    return engine.environment();
  }

  @Override
  public Map<String, String> getOverrides() {
    Map<String, String> out = new TreeMap<>();
    engine.overrides().forEach((k, v) -> out.put(k, Json.write(v)));
    return out;
  }

  @Override
  public Map<String, String[]> getUnknownKeys() {
    return dev.dynconfig.internal.insight.UnknownKeys.snapshot();
  }

  @Override
  public Map<String, Long> getAnonymousCalls() {
    return dev.dynconfig.internal.insight.AnonymousCalls.snapshot();
  }

  @Override
  public void setOverride(String flagKey, boolean value) {
    Audit.override(engine, flagKey, value);
  }

  @Override
  public void removeOverride(String flagKey) {
    Audit.override(engine, flagKey, null);
  }

  @Override
  public void clearOverrides() {
    for (String key : engine.overrides().keySet().toArray(new String[0])) {
      Audit.override(engine, key, null);
    }
  }

  @Override
  public String evaluate(String flagKey, String contextJson) {
    if (flagKey == null || flagKey.isEmpty()) {
      throw new IllegalArgumentException("a flag key is required");
    }
    FlagEvaluation r = engine.evaluate(flagKey, context(contextJson));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("value", r.value());
    out.put("reason", String.valueOf(r.reason()));
    if (r.variant() != null) {
      out.put("variant", r.variant());
    }
    if (r.errorCode() != null) {
      out.put("errorCode", String.valueOf(r.errorCode()));
    }
    if (r.errorMessage() != null) {
      out.put("errorMessage", r.errorMessage());
    }
    return Json.write(out);
  }

  @Override
  public String getVariant(String testId, String userId) {
    if (testId == null || testId.isEmpty()) {
      throw new IllegalArgumentException("a test id is required");
    }
    // explainAssignment: an operator's question must not skew the experiment's counts.
    AssignmentResult a =
        engine.explainAssignment(
            testId,
            userId == null || userId.isEmpty()
                ? EvaluationContext.empty()
                : EvaluationContext.ofUser(userId));
    Map<String, Object> out = new LinkedHashMap<>();
    TestVariant v = a.variant();
    out.put("variant", v == null ? null : v.id());
    if (v != null) {
      out.put("name", v.name());
      out.put("config", v.config());
    } else {
      out.put("reason", a.reason());
    }
    return Json.write(out);
  }

  @Override
  public void setRuntimeConfig(String namespace, String key, String jsonValue) {
    Audit.runtimeConfig(engine, namespace, key, runtimeValue(namespace, key, jsonValue));
  }

  @Override
  public void forceRefresh() {
    Audit.log("forceRefresh");
    try {
      engine.refresh();
    } catch (RuntimeException e) {
      throw Audit.clientError(e);
    }
  }

  /** Parses JSON text; a bare word (no quotes) is taken as a string, blank or null removes. */
  static Object runtimeValue(String namespace, String key, String text) {
    if (text == null || text.isBlank() || text.strip().equals("null")) {
      return null;
    }
    String t = text.strip();
    try {
      return StrictJson.parse(t, "JMX setRuntimeConfig(" + namespace + ", " + key + ")");
    } catch (IllegalArgumentException e) {
      char c = t.charAt(0);
      if (c != '{' && c != '[' && c != '"') {
        return t;
      }
      throw e;
    }
  }

  /** An evaluation context from JSON text ({@code userId}, … custom attributes at top level). */
  static EvaluationContext context(String json) {
    if (json == null || json.isBlank()) {
      return EvaluationContext.empty();
    }
    Object parsed = StrictJson.parse(json.strip(), "JMX evaluate context");
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          "the context must be a JSON object such as {\"userId\":\"u1\",\"plan\":\"premium\"}; got "
              + Json.render(parsed));
    }
    EvaluationContext.Builder b = EvaluationContext.builder();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String name = String.valueOf(e.getKey());
      Object value = e.getValue();
      String text = value instanceof String s ? s : null;
      if (text == null && value != null && KEYS.contains(name)) {
        throw new IllegalArgumentException(
            "context: " + name + " must be a string, got " + Json.render(value));
      }
      switch (name) {
        case "userId" -> b.userId(text);
        case "sessionId" -> b.sessionId(text);
        case "environment" -> b.environment(text);
        case "userRole" -> b.userRole(text);
        case "targetingKey" -> b.targetingKey(text);
        default -> b.attribute(name, value);
      }
    }
    return b.build();
  }
}
