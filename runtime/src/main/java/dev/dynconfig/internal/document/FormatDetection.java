package dev.dynconfig.internal.document;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tells a flagd document from a native one, by what only flagd's schema (flagd-schemas {@code
 * flags.json} / {@code flagd.json}) defines. A document is flagd's when
 *
 * <ul>
 *   <li>its {@code flags} is an object (flagd's {@code flagsMap}; native flags are an array),
 *   <li>an entry of its {@code flags} array carries {@code state}, {@code variants} or {@code
 *       defaultVariant} (flagd's flag fields; a native flag has none of them),
 *   <li>it has {@code $evaluators} (a top-level field of flagd's {@code baseConfig}; the native
 *       format has no evaluators), or
 *   <li>its {@code $schema} names one of flagd's schemas ({@code https://flagd.dev/schema/...} or a
 *       copy from the {@code flagd-schemas} repository).
 * </ul>
 *
 * Everything else is native. The engine's validation and the server's admin edits both ask here, so
 * a document is never validated as one format and versioned as the other.
 */
public final class FormatDetection {
  private FormatDetection() {}

  /**
   * The format of a document read into plain values (Map, List, String, ...); native for anything
   * that is not an object.
   */
  public static Document.Format of(Object root) {
    if (!(root instanceof Map<?, ?> map)) {
      return Document.Format.NATIVE;
    }
    Object flags = map.get("flags");
    if (flags instanceof Map) {
      return Document.Format.FLAGD;
    }
    if (map.containsKey("$evaluators") || namesFlagdSchema(map.get("$schema"))) {
      return Document.Format.FLAGD;
    }
    if (flags instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> flag
            && (flag.containsKey("state")
                || flag.containsKey("variants")
                || flag.containsKey("defaultVariant"))) {
          return Document.Format.FLAGD;
        }
      }
    }
    return Document.Format.NATIVE;
  }

  private static boolean namesFlagdSchema(Object schema) {
    if (!(schema instanceof String s)) {
      return false;
    }
    String lower = s.toLowerCase(Locale.ROOT);
    return lower.contains("flagd.dev/schema/") || lower.contains("flagd-schemas");
  }
}
