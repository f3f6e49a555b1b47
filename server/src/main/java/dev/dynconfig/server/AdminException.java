package dev.dynconfig.server;

/** A refused admin request that is not a validation failure (unknown key, wrong format...). */
final class AdminException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;

  AdminException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
