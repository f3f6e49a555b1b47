package dev.dynconfig.server;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A refused admin request that is not a validation failure (unknown key, wrong format...). */
final class AdminException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final transient ObjectNode detail;

  AdminException(int status, String message) {
    this(status, message, null);
  }

  /** With {@code detail}: fields added to the error body (e.g. the conflicting change). */
  AdminException(int status, String message, ObjectNode detail) {
    super(message);
    this.status = status;
    this.detail = detail;
  }

  int status() {
    return status;
  }

  ObjectNode detail() {
    return detail;
  }
}
