package dev.dynconfig.document;

/**
 * Reads and validates flag documents, native or flagd, JSON or YAML. A document is accepted whole
 * or rejected whole.
 */
public final class DocumentParser {
  private DocumentParser() {}

  /**
   * Parses and validates a document.
   *
   * @param content the raw bytes
   * @param origin the file name or URL, used in error messages
   * @throws DocumentException listing every problem as {@code path: value reason}
   */
  public static Document parse(byte[] content, String origin) throws DocumentException {
    throw new UnsupportedOperationException("TODO(engine)");
  }
}
