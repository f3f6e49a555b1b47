package dev.dynconfig.internal.json;

import java.util.List;

/**
 * A document that was rejected. The message names the origin and every problem, e.g. {@code
 * flags.json: flags[3].rolloutPercentage: 140 is outside 0..100}.
 */
public final class DocumentException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String origin;
  private final List<Problem> problems;

  public DocumentException(String origin, List<Problem> problems) {
    super(format(origin, problems));
    this.origin = origin;
    this.problems = List.copyOf(problems);
  }

  public String origin() {
    return origin;
  }

  public List<Problem> problems() {
    return problems;
  }

  /**
   * One validation problem: JSON path, the offending value as JSON text, and why. Each part is
   * shortened to a few hundred characters: reasons quote lists from the document (roles, variants)
   * and paths quote keys, and a hostile document must not turn into megabytes of error text in the
   * state, the log and the server's 400 answers.
   */
  public record Problem(String path, String value, String reason) {
    static final int MAX_PART = 300;

    public Problem {
      path = shorten(path);
      value = shorten(value);
      reason = shorten(reason);
    }

    private static String shorten(String s) {
      return s == null || s.length() <= MAX_PART
          ? s
          : s.substring(0, MAX_PART - 3) + "... (" + s.length() + " characters)";
    }

    @Override
    public String toString() {
      return path + ": " + (value == null ? "" : value + " ") + reason;
    }
  }

  /** Problems spelled out in the message; all of them stay available in {@link #problems()}. */
  static final int MAX_LISTED = 50;

  private static String format(String origin, List<Problem> problems) {
    StringBuilder sb = new StringBuilder(origin == null ? "<document>" : origin);
    if (problems.size() == 1) {
      return sb.append(": ").append(problems.get(0)).toString();
    }
    sb.append(": ").append(problems.size()).append(" problems");
    int shown = 0;
    for (Problem p : problems) {
      if (++shown > MAX_LISTED) {
        sb.append("\n  ... and ").append(problems.size() - MAX_LISTED).append(" more");
        break;
      }
      sb.append("\n  ").append(p);
    }
    return sb.toString();
  }
}
