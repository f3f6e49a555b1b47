package dev.dynconfig;

/** The state of the engine's link to its source, as reported by {@code getState()}. */
public enum ConnectionStatus {
  CONNECTING,
  CONNECTED,
  DISCONNECTED,
  ERROR;

  /** Lower-case wire/JSON name, as the seed's users know it ({@code "connected"}). */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
