package dev.dynconfig.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The items that differ between two documents (native or flagd, even one of each): flags by key,
 * tests by id, config values by namespace and key, and any other top-level field. The version stamp
 * is not an item.
 */
final class DocumentDiff {
  private DocumentDiff() {}

  static List<ItemChange> between(ObjectNode before, ObjectNode after) {
    List<ItemChange> out = new ArrayList<>();
    diff(out, byId(before.get("flags"), "key"), byId(after.get("flags"), "key"), Item::flag);
    diff(out, byId(before.get("tests"), "id"), byId(after.get("tests"), "id"), Item::test);
    Map<String, JsonNode> cb = fields(before.get("config"));
    Map<String, JsonNode> ca = fields(after.get("config"));
    for (String ns : union(cb.keySet(), ca.keySet())) {
      diff(out, fields(cb.get(ns)), fields(ca.get(ns)), key -> Item.config(ns, key));
    }
    Map<String, JsonNode> rest = new LinkedHashMap<>();
    Map<String, JsonNode> restAfter = new LinkedHashMap<>();
    others(before, rest);
    others(after, restAfter);
    diff(out, rest, restAfter, Item::field);
    return out;
  }

  /** The item's current value in {@code root}, or null when absent. */
  static JsonNode valueOf(ObjectNode root, Item item) {
    return switch (item.kind()) {
      case Item.FLAG -> byId(root.get("flags"), "key").get(item.key());
      case Item.TEST -> byId(root.get("tests"), "id").get(item.key());
      case Item.CONFIG -> fields(fields(root.get("config")).get(item.namespace())).get(item.key());
      default -> {
        Map<String, JsonNode> rest = new LinkedHashMap<>();
        others(root, rest);
        yield rest.get(item.key());
      }
    };
  }

  private interface ItemOf {
    Item of(String key);
  }

  private static void diff(
      List<ItemChange> out, Map<String, JsonNode> a, Map<String, JsonNode> b, ItemOf item) {
    for (String k : union(a.keySet(), b.keySet())) {
      JsonNode x = a.get(k);
      JsonNode y = b.get(k);
      if (!Objects.equals(x, y)) {
        out.add(new ItemChange(item.of(k), x, y));
      }
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> s = new LinkedHashSet<>(a);
    s.addAll(b);
    return s;
  }

  /** An array of objects by their id field, or a flagd object of flags by name. */
  private static Map<String, JsonNode> byId(JsonNode container, String idField) {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    if (container == null) {
      return m;
    }
    if (container.isObject()) {
      return fields(container);
    }
    for (JsonNode n : container) {
      JsonNode id = n.get(idField);
      if (id != null && id.isTextual()) {
        m.put(id.asText(), n);
      }
    }
    return m;
  }

  private static Map<String, JsonNode> fields(JsonNode n) {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    if (n != null && n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        m.put(e.getKey(), e.getValue());
      }
    }
    return m;
  }

  private static void others(ObjectNode root, Map<String, JsonNode> into) {
    for (Map.Entry<String, JsonNode> e : fields(root).entrySet()) {
      String name = e.getKey();
      if (name.equals("flags") || name.equals("tests") || name.equals("config")) {
        continue;
      }
      if (name.equals("version")) {
        continue; // the stamp of the native format
      }
      JsonNode v = e.getValue();
      if (name.equals("metadata") && v.isObject() && v.has("version")) {
        ObjectNode copy = ((ObjectNode) v).deepCopy();
        copy.remove("version"); // the stamp of the flagd format
        if (copy.isEmpty()) {
          continue;
        }
        v = copy;
      }
      into.put(name, v);
    }
  }
}
