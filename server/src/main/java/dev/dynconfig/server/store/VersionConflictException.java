package dev.dynconfig.server.store;

/** An {@code If-Match} write whose expected version is no longer the current one. */
public final class VersionConflictException extends Exception {
  private static final long serialVersionUID = 1L;
  private final long expected;
  private final long current;

  public VersionConflictException(long expected, long current) {
    super(
        "the document is at version "
            + current
            + ", not "
            + expected
            + " (If-Match): someone else changed it; read it again and reapply your change");
    this.expected = expected;
    this.current = current;
  }

  public long expected() {
    return expected;
  }

  public long current() {
    return current;
  }
}
