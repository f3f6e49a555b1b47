package dev.dynconfig.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code If-Match: "<version>"} on a write: the caller based its edit on that version of the
 * document. The write is refused (409) when one of its {@code items} changed after that version;
 * with no items (the whole document) when anything did. Changes to other items do not conflict.
 */
record Precondition(long version, List<Item> items) {

  /** Parses {@code "12"} (quotes required, as in an ETag); throws a 400 otherwise. */
  static long parseIfMatch(String header) throws AdminException {
    String h = header.trim();
    if (h.length() >= 3 && h.startsWith("\"") && h.endsWith("\"")) {
      try {
        return Long.parseLong(h.substring(1, h.length() - 1));
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw new AdminException(
        400,
        "If-Match must be one version in quotes, the ETag of GET /v1/flags (e.g. \"12\"), got "
            + header);
  }

  /** Throws a 409 when the write would overwrite a change the caller has not seen. */
  void check(long current, ChangeHistory history) throws AdminException {
    if (version == current) {
      return;
    }
    if (version > current) {
      throw conflict(current, "version " + version + " is newer than the current one", null);
    }
    if (items.isEmpty()) {
      throw conflict(
          current,
          "the document changed since version " + version + "; reload it and apply your edit again",
          history.list(1, Long.MAX_VALUE).stream().findFirst().orElse(null));
    }
    if (version < history.coveredFrom()) {
      throw conflict(
          current,
          "version "
              + version
              + " is older than the history kept ("
              + history.coveredFrom()
              + "); reload and apply your edit again",
          null);
    }
    for (Change c : history.list(Integer.MAX_VALUE, Long.MAX_VALUE)) {
      if (c.version() <= version) {
        break;
      }
      for (Item item : items) {
        if (c.touches(item)) {
          throw conflict(
              current,
              item
                  + " was changed by "
                  + c.principal()
                  + " at "
                  + c.at()
                  + " (version "
                  + c.version()
                  + ") after your version "
                  + version
                  + "; reload it and apply your edit again",
              c);
        }
      }
    }
  }

  private static AdminException conflict(long current, String message, Change change) {
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    detail.put("currentVersion", current);
    if (change != null) {
      detail.set("change", change.toJson());
    }
    return new AdminException(409, message, detail);
  }
}
