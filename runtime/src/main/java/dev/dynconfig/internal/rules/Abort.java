package dev.dynconfig.internal.rules;

/**
 * Ends an evaluation whose flagd operator met bad input (wrong arity, a non-string where a string
 * is needed, an invalid version, bad weights); the rule then evaluates to {@code null}, so the
 * engine falls back to the default as flagd does. One shared instance without a stack trace:
 * throwing it allocates nothing.
 */
final class Abort extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static final Abort INSTANCE = new Abort();

  private Abort() {
    super("rule evaluation aborted", null, false, false);
  }
}
