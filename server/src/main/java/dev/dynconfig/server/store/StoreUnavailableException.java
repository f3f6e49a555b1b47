package dev.dynconfig.server.store;

/**
 * The database could not be reached, or the connection broke before the write was known to be
 * committed: nothing was acknowledged, the caller may retry. The server answers 503.
 */
public final class StoreUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
