package dev.dynconfig.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One accepted change of the document, as the history keeps it: the version it produced (from
 * {@code previousVersion}), who, when, from where, the request ({@code action}, e.g. {@code PUT
 * flags/new-dashboard}) and every item it changed with its state before and after.
 *
 * @param id increasing number of the change in the history (assigned by the history)
 */
record Change(
    long id,
    long version,
    long previousVersion,
    Instant at,
    String principal,
    Source source,
    String action,
    List<ItemChange> items) {

  Change {
    items = List.copyOf(items);
  }

  Change withId(long newId) {
    return new Change(newId, version, previousVersion, at, principal, source, action, items);
  }

  boolean touches(Item item) {
    for (ItemChange c : items) {
      if (c.item().equals(item)) {
        return true;
      }
    }
    return false;
  }

  ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("id", id);
    n.put("version", version);
    n.put("previousVersion", previousVersion);
    n.put("at", at.toString());
    n.put("principal", principal);
    n.put("source", source.wireName());
    n.put("action", action);
    ArrayNode arr = n.putArray("items");
    for (ItemChange c : items) {
      arr.add(c.toJson());
    }
    return n;
  }

  static Change fromJson(JsonNode n) {
    List<ItemChange> items = new ArrayList<>();
    for (JsonNode i : n.path("items")) {
      items.add(ItemChange.fromJson(i));
    }
    return new Change(
        n.path("id").asLong(),
        n.path("version").asLong(),
        n.path("previousVersion").asLong(),
        Instant.parse(n.path("at").asText()),
        n.path("principal").asText(),
        Source.parse(n.path("source").asText()),
        n.path("action").asText(),
        items);
  }
}
