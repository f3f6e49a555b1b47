package dev.dynconfig.openfeature;

import dev.dynconfig.FlagEvaluation;
import dev.openfeature.sdk.ImmutableMetadata;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A flag's metadata as OpenFeature's {@link ImmutableMetadata}: strings, booleans, whole numbers
 * (Integer, or Long beyond the int range) and other numbers (Double); other values (objects, lists)
 * have no OpenFeature metadata type and are left out.
 *
 * <p>The engine hands out the same metadata map for every evaluation of a flag in a snapshot, so
 * the converted form is kept per flag key and reused while that map is the same object; {@link
 * #clear()} on every snapshot swap bounds the cache to the flags of the current snapshot.
 */
final class FlagMetadata {
  private record Converted(Map<String, Object> source, ImmutableMetadata metadata) {}

  private final ConcurrentHashMap<String, Converted> byFlag = new ConcurrentHashMap<>();

  /** The OpenFeature metadata of an evaluation of flag {@code key}. */
  ImmutableMetadata of(String key, FlagEvaluation evaluation) {
    Map<String, Object> source = evaluation.metadata();
    if (source == null || source.isEmpty() || key == null) {
      return ImmutableMetadata.EMPTY;
    }
    Converted c = byFlag.get(key);
    if (c == null || c.source != source) {
      c = new Converted(source, convert(source));
      byFlag.put(key, c);
    }
    return c.metadata;
  }

  void clear() {
    byFlag.clear();
  }

  static ImmutableMetadata convert(Map<String, Object> source) {
    ImmutableMetadata.ImmutableMetadataBuilder b = ImmutableMetadata.builder();
    for (Map.Entry<String, Object> e : source.entrySet()) {
      String name = e.getKey();
      Object v = e.getValue();
      if (v instanceof String s) {
        b.addString(name, s);
      } else if (v instanceof Boolean bool) {
        b.addBoolean(name, bool);
      } else if (v instanceof Number n) {
        Long integral = n instanceof Double || n instanceof Float ? null : Values.integral(n);
        if (integral == null) {
          b.addDouble(name, n.doubleValue());
        } else if (integral == integral.intValue()) {
          b.addInteger(name, integral.intValue());
        } else {
          b.addLong(name, integral);
        }
      }
    }
    return b.build();
  }
}
