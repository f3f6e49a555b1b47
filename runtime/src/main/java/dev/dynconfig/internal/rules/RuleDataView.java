package dev.dynconfig.internal.rules;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.Set;

/** Read-only map view of a {@link RuleData} that answers lookups only (it cannot list names). */
final class RuleDataView extends AbstractMap<String, Object> {
  private final RuleData data;

  RuleDataView(RuleData data) {
    this.data = data;
  }

  @Override
  public Object get(Object key) {
    if (!(key instanceof String)) {
      return null;
    }
    Object v = data.get((String) key);
    return v == RuleData.MISSING ? null : v;
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String && data.get((String) key) != RuleData.MISSING;
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return Collections.emptySet();
  }
}
