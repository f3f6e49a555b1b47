package dev.dynconfig.internal.rules;

/**
 * Semantic versions as flagd's {@code sem_ver} reads them (Go's golang.org/x/mod/semver after
 * prefixing a missing "v"; a leading "V" counts as "v"): {@code
 * MAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]}, where the short forms mean .0, numbers have no
 * leading zeros and build metadata is ignored in comparisons.
 */
final class SemVer {
  // Numbers are kept as digit strings: without leading zeros, longer means larger (no overflow).
  final String major;
  final String minor;
  final String patch;
  final String prerelease; // without '-', empty when none

  private SemVer(String major, String minor, String patch, String prerelease) {
    this.major = major;
    this.minor = minor;
    this.patch = patch;
    this.prerelease = prerelease;
  }

  /** Parses a version, tolerating one leading "v" or "V"; null when invalid. */
  static SemVer parse(String s) {
    int i = s.startsWith("v") || s.startsWith("V") ? 1 : 0;
    int n = s.length();
    int start = i;
    i = number(s, i);
    if (i < 0) {
      return null;
    }
    String major = s.substring(start, i);
    if (i == n) {
      return new SemVer(major, "0", "0", "");
    }
    if (s.charAt(i) != '.') {
      return null;
    }
    start = ++i;
    i = number(s, i);
    if (i < 0) {
      return null;
    }
    String minor = s.substring(start, i);
    if (i == n) {
      return new SemVer(major, minor, "0", "");
    }
    if (s.charAt(i) != '.') {
      return null;
    }
    start = ++i;
    i = number(s, i);
    if (i < 0) {
      return null;
    }
    String patch = s.substring(start, i);
    String prerelease = "";
    if (i < n && s.charAt(i) == '-') {
      start = ++i;
      while (i < n && s.charAt(i) != '+') {
        i++;
      }
      prerelease = s.substring(start, i);
      if (!identifiers(prerelease, true)) {
        return null;
      }
    }
    if (i < n && s.charAt(i) == '+') {
      if (!identifiers(s.substring(i + 1), false)) {
        return null;
      }
      i = n;
    }
    return i == n ? new SemVer(major, minor, patch, prerelease) : null;
  }

  /** End of a non-empty digit run without a leading zero, or -1. */
  private static int number(String s, int i) {
    int start = i;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    if (i == start || (s.charAt(start) == '0' && i - start > 1)) {
      return -1;
    }
    return i;
  }

  private static boolean identifiers(String s, boolean numericWithoutLeadingZero) {
    if (s.isEmpty()) {
      return false;
    }
    for (String id : s.split("\\.", -1)) {
      if (id.isEmpty()) {
        return false;
      }
      for (int k = 0; k < id.length(); k++) {
        char c = id.charAt(k);
        boolean ok =
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
        if (!ok) {
          return false;
        }
      }
      if (numericWithoutLeadingZero && isNumeric(id) && id.length() > 1 && id.charAt(0) == '0') {
        return false;
      }
    }
    return true;
  }

  private static boolean isNumeric(String id) {
    for (int k = 0; k < id.length(); k++) {
      char c = id.charAt(k);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  static int compareNumbers(String a, String b) {
    if (a.length() != b.length()) {
      return a.length() < b.length() ? -1 : 1;
    }
    return Integer.signum(a.compareTo(b));
  }

  int compareTo(SemVer o) {
    int c = compareNumbers(major, o.major);
    if (c == 0) {
      c = compareNumbers(minor, o.minor);
    }
    if (c == 0) {
      c = compareNumbers(patch, o.patch);
    }
    if (c == 0) {
      c = comparePrerelease(prerelease, o.prerelease);
    }
    return c;
  }

  private static int comparePrerelease(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    if (a.isEmpty()) {
      return 1; // a release ranks above its prereleases
    }
    if (b.isEmpty()) {
      return -1;
    }
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean xn = isNumeric(x[i]);
      boolean yn = isNumeric(y[i]);
      int c;
      if (xn && yn) {
        c = compareNumbers(x[i], y[i]);
      } else if (xn) {
        c = -1;
      } else if (yn) {
        c = 1;
      } else {
        c = Integer.signum(x[i].compareTo(y[i]));
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  /**
   * Applies a sem_ver operator; {@code null} when the operator is not one of {@code = != < <= > >=
   * ^ ~}.
   */
  static Boolean apply(SemVer a, String operator, SemVer b) {
    switch (operator) {
      case "=":
        return a.compareTo(b) == 0;
      case "!=":
        return a.compareTo(b) != 0;
      case "<":
        return a.compareTo(b) < 0;
      case "<=":
        return a.compareTo(b) <= 0;
      case ">":
        return a.compareTo(b) > 0;
      case ">=":
        return a.compareTo(b) >= 0;
      case "^":
        return a.major.equals(b.major);
      case "~":
        return a.major.equals(b.major) && a.minor.equals(b.minor);
      default:
        return null;
    }
  }
}
