package dev.dynconfig.server;

import dev.dynconfig.internal.document.DocumentParser;
import dev.dynconfig.internal.json.DocumentException;

/**
 * Validates a candidate document before the server stores or serves it. The default is the engine's
 * own {@link DocumentParser}, so the server accepts exactly what clients will accept.
 */
@FunctionalInterface
public interface DocumentValidator {

  /** The engine's parser: what the clients run. */
  DocumentValidator ENGINE = (content, origin) -> DocumentParser.parse(content, origin);

  /**
   * @throws DocumentException listing every problem (path, value, reason)
   */
  void validate(byte[] content, String origin) throws DocumentException;
}
