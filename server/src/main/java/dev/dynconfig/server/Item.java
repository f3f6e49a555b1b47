package dev.dynconfig.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One addressable part of the document: a flag, a test, a config value, or another top-level field
 * ({@code document}). {@code namespace} is set for config values only.
 */
record Item(String kind, String namespace, String key) {
  static final String FLAG = "flag";
  static final String TEST = "test";
  static final String CONFIG = "config";
  static final String DOCUMENT = "document";

  static Item flag(String key) {
    return new Item(FLAG, null, key);
  }

  static Item test(String id) {
    return new Item(TEST, null, id);
  }

  static Item config(String namespace, String key) {
    return new Item(CONFIG, namespace, key);
  }

  static Item field(String name) {
    return new Item(DOCUMENT, null, name);
  }

  void writeTo(ObjectNode n) {
    n.put("kind", kind);
    if (namespace != null) {
      n.put("namespace", namespace);
    }
    n.put("key", key);
  }

  static Item readFrom(JsonNode n) {
    return new Item(
        n.path("kind").asText(),
        n.hasNonNull("namespace") ? n.get("namespace").asText() : null,
        n.path("key").asText());
  }

  @Override
  public String toString() {
    return switch (kind) {
      case FLAG -> "flags/" + key;
      case TEST -> "tests/" + key;
      case CONFIG -> "config/" + namespace + "/" + key;
      default -> key;
    };
  }
}
