package dev.dynconfig.internal.json;

import java.util.List;

/** One JSON value typed by an operator, parsed strictly (no YAML leniency for bare words). */
public final class StrictJson {
  private StrictJson() {}

  /**
   * Parses exactly one JSON value into the engine's plain values (Map, List, String, Long, Double,
   * Boolean, null).
   *
   * @throws IllegalArgumentException naming {@code what} when the text is not one JSON value
   */
  public static Object parse(String text, String what) {
    Object wrapped;
    try {
      // The engine's reader parses YAML unless the text starts with { or [; wrapping forces JSON
      // while keeping its limits and number types.
      wrapped = Json.read("[" + text + "\n]", what);
    } catch (DocumentException e) {
      throw new IllegalArgumentException(what + ": '" + text + "' is not a JSON value");
    }
    if (!(wrapped instanceof List<?> list) || list.size() != 1) {
      throw new IllegalArgumentException(what + ": '" + text + "' is not exactly one JSON value");
    }
    return list.get(0);
  }
}
