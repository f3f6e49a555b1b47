package dev.dynconfig.jmx;

import dev.dynconfig.engine.EngineIntrospection;
import java.util.HashMap;
import java.util.Map;

/**
 * The dynconfig MBeans as operators see them in JConsole or VisualVM: each bean wrapped in {@link
 * Described} with a text for every attribute and operation and names for the operations' parameters
 * (the JMX defaults are "p0", "p1").
 */
final class MBeanDescriptions {
  private MBeanDescriptions() {}

  static Object engine(EngineIntrospection engine) {
    Map<String, String> texts = new HashMap<>();
    texts.put("Initialized", "Whether initialize() has completed");
    texts.put("ConnectionStatus", "CONNECTED, CONNECTING or DISCONNECTED");
    texts.put("LastSyncedAt", "When the last document was accepted (ISO-8601), or empty");
    texts.put("LastError", "The last problem (rejected document, connection failure), or empty");
    texts.put("Version", "Version of the snapshot being served (-1 before the first document)");
    texts.put("Source", "Where documents come from");
    texts.put("Environment", "Environment used when a context names none");
    texts.put("Overrides", "Current overrides: flag key -> JSON value");
    texts.put(
        "UnknownKeys", "Keys rewritten methods use that the configuration lacks -> the methods");
    texts.put(
        "AnonymousCalls",
        "Methods whose calls needed a user or session id and had none -> such calls");
    texts.put("setOverride", "Force a flag on or off until removed (survives reloads)");
    texts.put("removeOverride", "Remove a flag's override");
    texts.put("clearOverrides", "Remove every override");
    texts.put(
        "evaluate",
        "Evaluate a flag for a JSON context such as {\"userId\":\"u1\",\"plan\":\"premium\"}"
            + " (counted)");
    texts.put("getVariant", "The variant a user gets in an A/B test (not counted)");
    texts.put(
        "setRuntimeConfig", "Set a runtime-config value from JSON (empty or null removes it)");
    texts.put("forceRefresh", "Re-read the source now");
    Map<String, String[]> params = new HashMap<>();
    params.put("setOverride", new String[] {"flagKey", "value"});
    params.put("removeOverride", new String[] {"flagKey"});
    params.put("evaluate", new String[] {"flagKey", "contextJson"});
    params.put("getVariant", new String[] {"testId", "userId"});
    params.put("setRuntimeConfig", new String[] {"namespace", "key", "jsonValue"});
    return new Described<>(
        new DynamicConfigBean(engine),
        DynamicConfigMXBean.class,
        "dynconfig engine: state, overrides and operations",
        texts,
        params);
  }

  static Object flag(EngineIntrospection engine, String key) {
    Map<String, String> texts = new HashMap<>();
    texts.put("Key", "The flag key");
    texts.put("Kind", "native (boolean) or flagd:<variant type>");
    texts.put("Definition", "The flag's definition (JSON)");
    texts.put(
        "Override",
        "Forced value: empty = none; true/false for native flags; JSON for flagd flags");
    texts.put("TrueCount", "Evaluations that returned true since start");
    texts.put("FalseCount", "Evaluations that returned false since start");
    texts.put("OtherCount", "Evaluations that returned a non-boolean value since start");
    texts.put("GuardedMethods", "Methods the agent rewrote to branch on this flag");
    return new Described<>(
        new FlagBean(engine, key), FlagMXBean.class, "dynconfig flag " + key, texts, Map.of());
  }

  static Object test(EngineIntrospection engine, String id) {
    Map<String, String> texts = new HashMap<>();
    texts.put("Id", "The test id");
    texts.put("Name", "The test's name");
    texts.put("Status", "draft, running, paused or completed");
    texts.put("Allocation", "Percent of users per variant");
    texts.put("AssignmentCounts", "Assignments per variant since start");
    texts.put("UnassignedCount", "Requests that got no variant since start");
    texts.put("Definition", "The test's definition (JSON)");
    texts.put("GuardedMethods", "Entry methods the agent rewrote to dispatch on this test");
    return new Described<>(
        new AbTestBean(engine, id),
        AbTestMXBean.class,
        "dynconfig A/B test " + id,
        texts,
        Map.of());
  }
}
