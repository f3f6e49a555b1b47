package dev.dynconfig.internal.rules;

/** A rule that cannot be compiled: where it is, what was found there, and why it is refused. */
public final class RuleException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final transient Object value;
  private final String reason;

  public RuleException(String path, Object value, String reason) {
    super(path + ": " + render(value) + " " + reason);
    this.path = path;
    this.value = value;
    this.reason = reason;
  }

  /** JSON path of the offending element, e.g. {@code flags[2].targeting.if[0]}. */
  public String path() {
    return path;
  }

  /** The offending value (plain Java JSON). */
  public Object value() {
    return value;
  }

  /** Why it is refused, e.g. {@code is not a known operator}. */
  public String reason() {
    return reason;
  }

  private static String render(Object value) {
    String s = value instanceof String ? '"' + (String) value + '"' : String.valueOf(value);
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }
}
