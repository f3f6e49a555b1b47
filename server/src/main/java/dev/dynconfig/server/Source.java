package dev.dynconfig.server;

import java.util.Locale;

/** Where a change came from, as recorded in the history. */
enum Source {
  /** The web console (a session cookie). */
  CONSOLE,
  /** The admin API with a bearer token. */
  API,
  /** An edit of the file on disk. */
  FILE;

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Source parse(String s) {
    for (Source v : values()) {
      if (v.wireName().equals(s)) {
        return v;
      }
    }
    return API;
  }
}
