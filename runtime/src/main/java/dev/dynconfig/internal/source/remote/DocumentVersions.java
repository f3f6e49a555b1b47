package dev.dynconfig.internal.source.remote;

import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.internal.json.Json;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Reads the version a document carries itself: top-level {@code version} (native) or {@code
 * metadata.version} (flagd, a number or a numeric string), so that a client compares versions from
 * the document whatever the transport's headers say.
 */
final class DocumentVersions {
  /** The document is not readable or carries no whole, non-negative version. */
  static final long NONE = -1;

  private DocumentVersions() {}

  /**
   * The document's own version; {@link #NONE} when it has none; {@link Long#MAX_VALUE} for a whole
   * number too large for a {@code long} (rejected as absurd by the {@link VersionGate}).
   */
  static long of(byte[] body, String origin) {
    Object root;
    try {
      root = Json.read(body, origin);
    } catch (DocumentException | RuntimeException e) {
      return NONE; // the engine rejects it with the reason when it is offered
    }
    if (!(root instanceof Map<?, ?> m)) {
      return NONE;
    }
    Object v = m.get("version");
    if (v == null && m.get("metadata") instanceof Map<?, ?> meta) {
      v = meta.get("version");
    }
    return whole(v);
  }

  private static long whole(Object v) {
    BigDecimal d;
    try {
      if (v instanceof Long l) {
        d = BigDecimal.valueOf(l);
      } else if (v instanceof BigDecimal b) {
        d = b;
      } else if (v instanceof String s && s.length() <= 400) {
        d = new BigDecimal(s.trim());
      } else {
        return NONE;
      }
    } catch (NumberFormatException e) {
      return NONE;
    }
    if (d.signum() < 0 || d.stripTrailingZeros().scale() > 0) {
      return NONE;
    }
    return d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : d.longValue();
  }
}
