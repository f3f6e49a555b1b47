package dev.dynconfig.store.postgresql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynconfig.internal.document.DocumentParser;
import dev.dynconfig.server.store.DocumentChange;
import dev.dynconfig.server.store.StoredDocument;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Native documents for store tests: config entries under namespace {@code t}, validated. */
final class Docs {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Docs() {}

  /** The empty document as version {@code v}. */
  static DocumentChange empty() {
    return (cur, next, tx) -> stamp(MAPPER.createObjectNode(), next);
  }

  /** Sets {@code t.key = value} on the current document. */
  static DocumentChange put(String key, String value) {
    return (cur, next, tx) -> {
      ObjectNode root = cur == null ? MAPPER.createObjectNode() : tree(cur.bytes());
      root.with("config").with("t").put(key, value);
      return stamp(root, next);
    };
  }

  static ObjectNode tree(byte[] bytes) {
    try {
      return (ObjectNode) MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code t.key} in {@code doc}, or null. */
  static String valueOf(StoredDocument doc, String key) {
    var n = tree(doc.bytes()).path("config").path("t").get(key);
    return n == null ? null : n.asText();
  }

  static long versionIn(byte[] bytes) {
    return tree(bytes).path("version").asLong(-1);
  }

  private static byte[] stamp(ObjectNode root, long version) throws Exception {
    root.put("version", version);
    if (!root.has("flags")) {
      root.putArray("flags");
    }
    byte[] bytes = MAPPER.writeValueAsBytes(root);
    DocumentParser.parse(bytes, "test document"); // what the engine accepts, nothing else
    return bytes;
  }
}
