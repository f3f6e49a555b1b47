package dev.dynconfig.internal.engine;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/** The metadata a flag's results carry, built once per flag when it is compiled. */
final class FlagMetadata {
  private FlagMetadata() {}

  /**
   * flagd: the document's flag-set metadata merged with the flag's own (the flag's keys win). Whole
   * numbers stay {@link Long}, other numbers become {@link Double}, so every value is a String,
   * Long, Double or Boolean.
   */
  static Map<String, Object> flagd(Map<String, Object> flagSet, Map<String, Object> flag) {
    Map<String, Object> merged = new HashMap<>();
    putTyped(merged, flagSet);
    putTyped(merged, flag);
    return Map.copyOf(merged);
  }

  /** A native flag's own metadata, without entries whose value is null. */
  static Map<String, Object> ofNative(Map<String, Object> metadata) {
    if (metadata == null || metadata.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new HashMap<>();
    for (Map.Entry<String, Object> e : metadata.entrySet()) {
      if (e.getKey() != null && e.getValue() != null) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return Map.copyOf(out);
  }

  private static void putTyped(Map<String, Object> into, Map<String, Object> from) {
    if (from == null) {
      return;
    }
    for (Map.Entry<String, Object> e : from.entrySet()) {
      Object v = e.getValue();
      if (v instanceof BigDecimal b) {
        v = b.doubleValue(); // beyond long or double precision: the nearest double
      } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
        v = ((Number) v).longValue();
      } else if (v instanceof Float f) {
        v = f.doubleValue();
      }
      if (e.getKey() != null && v != null) {
        into.put(e.getKey(), v);
      }
    }
  }
}
