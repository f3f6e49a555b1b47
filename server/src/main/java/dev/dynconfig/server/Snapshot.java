package dev.dynconfig.server;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One published version of the document. {@code bytes} are exactly what {@code GET /v1/flags}
 * serves and what the file holds; {@code tree} is the parsed form used to apply admin edits (never
 * mutated: edits work on a deep copy).
 */
record Snapshot(long version, byte[] bytes, ObjectNode tree, boolean flagd) {
  String etag() {
    return "\"" + version + "\"";
  }
}
