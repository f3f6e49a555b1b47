package dev.dynconfig.bench.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The 1,024 pre-generated users every evaluation benchmark cycles through: random-looking UUID ids
 * and a {@code plan} attribute that is {@code "premium"} for exactly half of them, in shuffled
 * order (a strict alternation would let the branch predictor learn the rule's answer).
 *
 * <p>Generated from a fixed seed so every library and every run sees the same users.
 */
public final class Users {
  /** Number of users; a power of two so the cursor wraps with a mask. */
  public static final int COUNT = 1024;

  static final int MASK = COUNT - 1;
  public static final String PREMIUM = "premium";
  static final String FREE = "free";

  private static final String[] IDS = new String[COUNT];
  private static final String[] PLANS = new String[COUNT];

  static {
    Random random = new Random(20240611L);
    List<String> plans = new ArrayList<>(COUNT);
    for (int i = 0; i < COUNT; i++) {
      IDS[i] = new UUID(random.nextLong(), random.nextLong()).toString();
      plans.add(i < COUNT / 2 ? PREMIUM : FREE);
    }
    Collections.shuffle(plans, random);
    plans.toArray(PLANS);
  }

  private Users() {}

  /** The id of user {@code i} (0 ≤ i < {@link #COUNT}). */
  public static String id(int i) {
    return IDS[i];
  }

  /** The plan of user {@code i}: {@code "premium"} or {@code "free"}. */
  public static String plan(int i) {
    return PLANS[i];
  }

  /** Whether user {@code i} is on the premium plan. */
  public static boolean premium(int i) {
    return PLANS[i] == PREMIUM;
  }
}
