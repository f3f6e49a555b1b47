package dev.dynconfig.openfeature;

import java.util.List;
import java.util.Map;

/**
 * The five OpenFeature flag types and how a dynconfig value converts to each; {@code null} from
 * {@link #convert} means the flag's value has another type (TYPE_MISMATCH).
 */
enum FlagType {
  BOOLEAN("a boolean") {
    @Override
    Object convert(Object value) {
      return value instanceof Boolean ? value : null;
    }
  },
  STRING("a string") {
    @Override
    Object convert(Object value) {
      return value instanceof String ? value : null;
    }
  },
  /** Whole numbers within the int range (5 and 5.0; not 5.5 or 2^31). */
  INTEGER("an integer") {
    @Override
    Object convert(Object value) {
      if (value instanceof Integer) {
        return value;
      }
      if (value instanceof Number n) {
        Long l = Values.integral(n);
        if (l != null && l == l.intValue()) {
          return l.intValue();
        }
      }
      return null;
    }
  },
  /** Any number. */
  DOUBLE("a number") {
    @Override
    Object convert(Object value) {
      if (value instanceof Double) {
        return value;
      }
      return value instanceof Number n ? n.doubleValue() : null;
    }
  },
  /** JSON objects (structures) and arrays (lists). */
  OBJECT("an object") {
    @Override
    Object convert(Object value) {
      return value instanceof Map || value instanceof List ? Values.toValue(value) : null;
    }
  };

  private final String label;

  FlagType(String label) {
    this.label = label;
  }

  /** The value as this type's Java type, or null when it is of another type. */
  abstract Object convert(Object value);

  /** For messages: {@code a boolean}, {@code an integer} … */
  String label() {
    return label;
  }

  /** For messages: what a dynconfig value is. */
  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    String type =
        value instanceof Boolean
            ? "boolean"
            : value instanceof String
                ? "string"
                : value instanceof Number
                    ? "number"
                    : value instanceof Map ? "object" : value instanceof List ? "array" : "value";
    String text = value instanceof String s ? '"' + s + '"' : String.valueOf(value);
    if (text.length() > 60) {
      text = text.substring(0, 57) + "...";
    }
    return type + " " + text;
  }
}
