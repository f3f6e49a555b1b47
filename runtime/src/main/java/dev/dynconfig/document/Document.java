package dev.dynconfig.document;

/** A validated, immutable flag document (native or flagd). */
public final class Document {
  private final long version;

  Document(long version) {
    this.version = version;
  }

  /** The document's {@code version}, or -1 when it has none (flagd files). */
  public long version() {
    return version;
  }
}
