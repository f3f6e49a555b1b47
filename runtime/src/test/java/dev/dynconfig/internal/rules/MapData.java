package dev.dynconfig.internal.rules;

import java.util.List;
import java.util.Map;

/** A {@link RuleData} over any JSON value, as a test stand-in for the engine's context. */
final class MapData implements RuleData {
  private final Object root;
  private final String flagKey;
  private final String targetingKey;

  MapData(Object root, String flagKey, String targetingKey) {
    this.root = root;
    this.flagKey = flagKey;
    this.targetingKey = targetingKey;
  }

  MapData(Object root) {
    this(root, null, null);
  }

  @Override
  public Object get(String name) {
    if (root instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) root;
      Object v = m.get(name);
      return v != null || m.containsKey(name) ? v : MISSING;
    }
    if (root instanceof List) {
      List<?> l = (List<?>) root;
      try {
        int i = Integer.parseInt(name);
        return i >= 0 && i < l.size() ? l.get(i) : MISSING;
      } catch (NumberFormatException e) {
        return MISSING;
      }
    }
    return MISSING;
  }

  @Override
  public String flagKey() {
    return flagKey;
  }

  @Override
  public String targetingKey() {
    return targetingKey;
  }

  @Override
  public Object asJson() {
    return root;
  }
}
