package dev.dynconfig.internal.insight;

import java.util.Collection;

/**
 * The existing key a mistyped one most likely meant: the candidate at the smallest edit distance
 * (Levenshtein, case-insensitive), if that distance is small enough to suggest a typo rather than
 * another key: at most a third of the key's length, and at least 2.
 */
public final class ClosestKey {
  private ClosestKey() {}

  /** The closest candidate to {@code key}, or null when none is close enough. */
  public static String find(String key, Collection<String> candidates) {
    if (key == null || candidates == null) {
      return null;
    }
    int limit = Math.max(2, key.length() / 3);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      if (candidate == null || candidate.equals(key)) {
        continue;
      }
      int d =
          distance(
              key.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance || (d == bestDistance && candidate.compareTo(best) < 0)) {
        best = candidate;
        bestDistance = d;
      }
    }
    return bestDistance <= limit ? best : null;
  }

  /** Levenshtein distance (insert, delete, substitute: 1 each). */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }
}
