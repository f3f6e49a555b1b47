package dev.dynconfig.jmx;

import dev.dynconfig.internal.document.FlagdFlag;
import dev.dynconfig.internal.engine.EngineIntrospection;
import dev.dynconfig.internal.json.Json;
import dev.dynconfig.internal.json.StrictJson;
import java.util.Locale;

/** {@code dev.dynconfig:type=Flag,name=<key>}; reads the live snapshot on every call. */
final class FlagBean implements FlagMXBean {
  private final EngineIntrospection engine;
  private final String key;

  FlagBean(EngineIntrospection engine, String key) {
    this.engine = engine;
    this.key = key;
  }

  @Override
  public String getKey() {
    return key;
  }

  @Override
  public String getKind() {
    FlagdFlag.VariantType flagd = engine.flagdVariantType(key);
    if (flagd != null) {
      return "flagd:" + flagd.label();
    }
    return engine.flagDefinitionJson(key) == null ? "removed" : "native";
  }

  @Override
  public String getDefinition() {
    String json = engine.flagDefinitionJson(key);
    return json == null ? "" : json;
  }

  @Override
  public String getOverride() {
    Object v = engine.overrides().get(key);
    return v == null ? "" : Json.write(v);
  }

  @Override
  public void setOverride(String value) {
    Audit.override(engine, key, parse(value));
  }

  /** The override value for the text an operator typed; null (remove) for empty. */
  Object parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.strip();
    FlagdFlag.VariantType type = engine.flagdVariantType(key);
    if (type == null) {
      // Native flags are boolean.
      return switch (t.toLowerCase(Locale.ROOT)) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        default ->
            throw new IllegalArgumentException(
                "flag '"
                    + key
                    + "' is a boolean flag: its Override must be true, false, or empty to remove"
                    + " it; got '"
                    + t
                    + "'");
      };
    }
    Object value;
    try {
      value = StrictJson.parse(t, "JMX override of " + key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "flag '"
              + key
              + "' has "
              + type.label()
              + " variants: its Override must be JSON of that type (strings in quotes, e.g."
              + " \"red\"); got '"
              + t
              + "'");
    }
    if (FlagdFlag.VariantType.of(value) != type) {
      throw new IllegalArgumentException(
          "flag '"
              + key
              + "' has "
              + type.label()
              + " variants; the Override "
              + Json.render(value)
              + " is not a "
              + type.label());
    }
    return value;
  }

  @Override
  public long getTrueCount() {
    return engine.flagCounts(key).trueCount();
  }

  @Override
  public long getFalseCount() {
    return engine.flagCounts(key).falseCount();
  }

  @Override
  public long getOtherCount() {
    return engine.flagCounts(key).otherCount();
  }

  @Override
  public String[] getGuardedMethods() {
    return JmxRegistration.guardedMethods().forFlag(key);
  }
}
