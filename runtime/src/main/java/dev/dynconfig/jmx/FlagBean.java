package dev.dynconfig.jmx;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.internal.document.FlagdFlag;
import dev.dynconfig.internal.json.Json;
import dev.dynconfig.internal.json.StrictJson;
import java.util.Locale;

/** {@code dev.dynconfig:type=Flag,name=<key>}; reads the live snapshot on every call. */
final class FlagBean implements FlagMXBean {
  private final DynamicConfig config;
  private final String key;

  FlagBean(DynamicConfig config, String key) {
    this.config = config;
    this.key = key;
  }

  @Override
  public String getKey() {
    return key;
  }

  @Override
  public String getKind() {
    Object d = config.introspection().flagDefinition(key);
    if (d instanceof FlagdFlag f) {
      return "flagd:" + f.type().label();
    }
    return d == null ? "removed" : "native";
  }

  @Override
  public String getDefinition() {
    String json = config.introspection().flagDefinitionJson(key);
    return json == null ? "" : json;
  }

  @Override
  public String getOverride() {
    Object v = config.getOverride(key);
    return v == null ? "" : Json.write(v);
  }

  @Override
  public void setOverride(String value) {
    Audit.override(config, key, parse(value));
  }

  /** The override value for the text an operator typed; null (remove) for empty. */
  Object parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.strip();
    if (!(config.introspection().flagDefinition(key) instanceof FlagdFlag f)) {
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
              + f.type().label()
              + " variants: its Override must be JSON of that type (strings in quotes, e.g."
              + " \"red\"); got '"
              + t
              + "'");
    }
    if (FlagdFlag.VariantType.of(value) != f.type()) {
      throw new IllegalArgumentException(
          "flag '"
              + key
              + "' has "
              + f.type().label()
              + " variants; the Override "
              + Json.render(value)
              + " is not a "
              + f.type().label());
    }
    return value;
  }

  @Override
  public long getTrueCount() {
    return config.introspection().flagCounts(key).trueCount();
  }

  @Override
  public long getFalseCount() {
    return config.introspection().flagCounts(key).falseCount();
  }

  @Override
  public long getOtherCount() {
    return config.introspection().flagCounts(key).otherCount();
  }

  @Override
  public String[] getGuardedMethods() {
    return GuardedMethods.forFlag(key);
  }
}
