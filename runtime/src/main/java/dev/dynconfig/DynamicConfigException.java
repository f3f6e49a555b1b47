package dev.dynconfig;

/** Thrown by the library API (never by rewritten code under the agent). */
public class DynamicConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DynamicConfigException(String message) {
    super(message);
  }

  public DynamicConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
