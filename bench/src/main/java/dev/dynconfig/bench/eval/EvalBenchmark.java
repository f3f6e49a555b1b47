package dev.dynconfig.bench.eval;

/**
 * The three evaluation scenarios of issue 6, implemented once per library. Each benchmark method
 * picks the next of the {@link Users} (cycling), builds the library's own context object for that
 * user (id + {@code plan} attribute, as a request handler would) and evaluates one flag:
 *
 * <ul>
 *   <li>{@code staticFlag}: a boolean flag that is on for everyone;
 *   <li>{@code rollout}: a 25% rollout keyed by the user id;
 *   <li>{@code rule}: a rule {@code plan == "premium"}, true for half of the users.
 * </ul>
 *
 * <p>Every subclass calls {@link #selfCheck} from its setup, so a misconfigured library fails the
 * run instead of being measured doing something else (e.g. returning its default).
 */
public abstract class EvalBenchmark {
  /** The flag keys, the same in every library. */
  public static final String STATIC_FLAG = "static-on";

  public static final String ROLLOUT_FLAG = "rollout-25";
  public static final String RULE_FLAG = "premium-rule";

  private int cursor;

  /** The index of the next user; wraps after {@link Users#COUNT}. */
  protected final int next() {
    return cursor++ & Users.MASK;
  }

  // Subclasses override these with @Benchmark: JMH generates code only for concrete benchmark
  // methods, and keeping them abstract here lets selfCheck() call exactly what is measured.

  /** Scenario (a): the static flag, on for everyone. */
  public abstract boolean staticFlag();

  /** Scenario (b): the 25% rollout keyed by user id. */
  public abstract boolean rollout();

  /** Scenario (c): the rule {@code plan == "premium"}. */
  public abstract boolean rule();

  /**
   * Checks the library's answers over all users, through the very methods that are measured: the
   * static flag is on for everyone, the rollout covers 18–32% of the users and (if {@code
   * stickyRollout}) gives every user the same answer twice, and the rule matches exactly the
   * premium half.
   *
   * @throws IllegalStateException saying which check failed and by how much
   */
  protected final void selfCheck(String library, boolean stickyRollout) {
    boolean[] first = new boolean[Users.COUNT];
    int on = 0;
    int rolledOut = 0;
    int sticky = 0;
    int ruleMismatches = 0;
    String firstMismatch = null;
    cursor = 0;
    for (int i = 0; i < Users.COUNT; i++) {
      if (staticFlag()) {
        on++;
      }
    }
    cursor = 0;
    for (int i = 0; i < Users.COUNT; i++) {
      first[i] = rollout();
      if (first[i]) {
        rolledOut++;
      }
    }
    cursor = 0;
    for (int i = 0; i < Users.COUNT; i++) {
      if (rollout() == first[i]) {
        sticky++;
      }
    }
    cursor = 0;
    for (int i = 0; i < Users.COUNT; i++) {
      boolean got = rule();
      if (got != Users.premium(i)) {
        ruleMismatches++;
        if (firstMismatch == null) {
          firstMismatch = "user " + Users.id(i) + " plan=" + Users.plan(i) + " got " + got;
        }
      }
    }
    cursor = 0;
    StringBuilder problems = new StringBuilder();
    if (on != Users.COUNT) {
      problems.append(
          String.format("static flag on for %d/%d users, expected all; ", on, Users.COUNT));
    }
    double share = 100.0 * rolledOut / Users.COUNT;
    if (share < 18 || share > 32) {
      problems.append(String.format("rollout covers %.1f%% of users, expected 18-32%%; ", share));
    }
    if (stickyRollout && sticky != Users.COUNT) {
      problems.append(
          String.format(
              "rollout not sticky: %d/%d users got a different answer the second time; ",
              Users.COUNT - sticky, Users.COUNT));
    }
    if (ruleMismatches != 0) {
      problems.append(
          String.format(
              "rule plan == \"premium\" wrong for %d/%d users (first: %s); ",
              ruleMismatches, Users.COUNT, firstMismatch));
    }
    if (problems.length() > 0) {
      throw new IllegalStateException(
          library + " self-check failed, refusing to measure it: " + problems);
    }
    System.out.printf(
        "[self-check] %s ok: static %d/%d on, rollout %.1f%% (%s), rule exact%n",
        library,
        on,
        Users.COUNT,
        share,
        stickyRollout ? "sticky" : "not sticky by design, " + sticky + " repeated");
  }
}
