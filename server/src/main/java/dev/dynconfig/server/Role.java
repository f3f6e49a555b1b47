package dev.dynconfig.server;

import java.util.Locale;

/** What a principal may do; each role includes the ones before it. */
enum Role {
  /** Read the document ({@code GET /v1/flags}, {@code /v1/stream}) and the history. */
  READER,
  /** Also change flags, tests and config values, and revert changes. */
  EDITOR,
  /** Also replace the whole document. */
  ADMIN;

  boolean allows(Role required) {
    return compareTo(required) >= 0;
  }

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code reader}, {@code editor} or {@code admin}; null when it is none of them. */
  static Role parse(String s) {
    for (Role r : values()) {
      if (r.wireName().equals(s)) {
        return r;
      }
    }
    return null;
  }
}
