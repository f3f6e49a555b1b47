package dev.dynconfig.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Puts items back to a given state: how a revert is applied. */
final class ItemEdits {
  private ItemEdits() {}

  /** An edit giving each item of {@code change} its state {@code before} (or {@code after}). */
  static FlagStore.Edit restore(Change change, boolean toBefore) {
    List<ItemChange> items = change.items();
    return (root, flagd) -> {
      for (ItemChange c : items) {
        set(root, flagd, c.item(), toBefore ? c.before() : c.after());
      }
      return root;
    };
  }

  /** Sets {@code item} to {@code value}; null removes it (when present). */
  static void set(ObjectNode root, boolean flagd, Item item, JsonNode value) throws AdminException {
    boolean present = DocumentDiff.valueOf(root, item) != null;
    switch (item.kind()) {
      case Item.FLAG -> {
        if (value != null) {
          DocumentShapes.putFlag(root, flagd, item.key(), value);
        } else if (present) {
          DocumentShapes.deleteFlag(root, flagd, item.key());
        }
      }
      case Item.TEST -> {
        if (value != null) {
          DocumentShapes.putTest(root, item.key(), value);
        } else if (present) {
          DocumentShapes.deleteTest(root, item.key());
        }
      }
      case Item.CONFIG -> {
        if (value != null) {
          DocumentShapes.putConfig(root, item.namespace(), item.key(), value);
        } else if (present) {
          DocumentShapes.deleteConfig(root, item.namespace(), item.key());
        }
      }
      default -> {
        if (value != null) {
          root.set(item.key(), value);
        } else {
          root.remove(item.key());
        }
      }
    }
  }
}
