package dev.dynconfig.document;

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

  /** One validation problem: JSON path, the offending value as JSON text, and why. */
  public record Problem(String path, String value, String reason) {
    @Override
    public String toString() {
      return path + ": " + (value == null ? "" : value + " ") + reason;
    }
  }

  private static String format(String origin, List<Problem> problems) {
    StringBuilder sb = new StringBuilder(origin == null ? "<document>" : origin);
    if (problems.size() == 1) {
      return sb.append(": ").append(problems.get(0)).toString();
    }
    sb.append(": ").append(problems.size()).append(" problems");
    for (Problem p : problems) {
      sb.append("\n  ").append(p);
    }
    return sb.toString();
  }
}
