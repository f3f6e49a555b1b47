package dev.dynconfig.server;

/** Who asked for a change: principal name, source, and the peer address for the audit log. */
record Author(String principal, Source source, String address) {
  static Author file(String fileName) {
    return new Author("file", Source.FILE, fileName);
  }

  /** The audit log's form: {@code alice@/127.0.0.1:52280 (console)}. */
  String auditName() {
    return source == Source.FILE
        ? "file " + address
        : principal + "@" + address + " (" + source.wireName() + ")";
  }
}
