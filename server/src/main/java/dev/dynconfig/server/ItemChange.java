package dev.dynconfig.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One item's state before and after a change; null = absent. */
record ItemChange(Item item, JsonNode before, JsonNode after) {
  ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    item.writeTo(n);
    n.set("before", before == null ? JsonNodeFactory.instance.nullNode() : before);
    n.set("after", after == null ? JsonNodeFactory.instance.nullNode() : after);
    return n;
  }

  static ItemChange fromJson(JsonNode n) {
    return new ItemChange(Item.readFrom(n), orNull(n.get("before")), orNull(n.get("after")));
  }

  private static JsonNode orNull(JsonNode n) {
    return n == null || n.isNull() ? null : n;
  }
}
