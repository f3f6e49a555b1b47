package dev.dynconfig.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynconfig.internal.document.Document;
import dev.dynconfig.internal.document.FormatDetection;
import dev.dynconfig.internal.json.Json;
import java.util.Iterator;
import java.util.Map;

/**
 * The edits the admin API makes, on the document's own shapes. Native: {@code flags} and {@code
 * tests} are arrays keyed by {@code key} / {@code id}, {@code config} is {@code {namespace: {key:
 * value}}}, the version is top-level {@code version}. flagd: {@code flags} is an object keyed by
 * flag key (or an array of objects with {@code key}), the version is {@code metadata.version} (a
 * string, as flagd's schema types flag-set metadata).
 */
final class DocumentShapes {
  private DocumentShapes() {}

  /** flagd or native, by the engine's own rule ({@link FormatDetection}). */
  static boolean isFlagd(ObjectNode root) {
    return FormatDetection.of(Json.mapper().convertValue(root, Object.class))
        == Document.Format.FLAGD;
  }

  /**
   * The version stored in the document, or -1 when it has none (or it is not a whole number);
   * {@link Long#MAX_VALUE} for a whole number too large for a {@code long}.
   */
  static long readVersion(ObjectNode root, boolean flagd) {
    JsonNode v = flagd ? root.path("metadata").get("version") : root.get("version");
    if (v == null) {
      return -1;
    }
    if (v.isIntegralNumber()) {
      return v.canConvertToLong()
          ? v.asLong()
          : v.bigIntegerValue().signum() < 0 ? -1 : Long.MAX_VALUE;
    }
    if (v.isTextual()) {
      try {
        java.math.BigInteger b = new java.math.BigInteger(v.asText().trim());
        return b.signum() < 0 ? -1 : b.bitLength() < 64 ? b.longValue() : Long.MAX_VALUE;
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  /** A copy of {@code root} carrying {@code version} (first field for native documents). */
  static ObjectNode stampVersion(ObjectNode root, boolean flagd, long version) {
    if (flagd) {
      ObjectNode copy = root.deepCopy();
      JsonNode meta = copy.get("metadata");
      ObjectNode m = meta instanceof ObjectNode o ? o : copy.putObject("metadata");
      m.put("version", Long.toString(version));
      return copy;
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("version", version);
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().equals("version")) {
        out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return out;
  }

  static void putFlag(ObjectNode root, boolean flagd, String key, JsonNode body)
      throws AdminException {
    ObjectNode flag = requireObject(body, "flags/" + key);
    JsonNode flags = root.get("flags");
    if (flagd && (flags == null || flags.isObject())) {
      ObjectNode f = flags == null ? root.putObject("flags") : (ObjectNode) flags;
      if (flag.has("key") && !flag.get("key").asText().equals(key)) {
        throw new AdminException(
            400, "flags/" + key + ": body names key '" + flag.get("key").asText() + "'");
      }
      flag.remove("key");
      f.set(key, flag);
      return;
    }
    upsertById(root, "flags", "key", key, flag);
  }

  static void deleteFlag(ObjectNode root, boolean flagd, String key) throws AdminException {
    JsonNode flags = root.get("flags");
    if (flags != null && flags.isObject()) {
      if (((ObjectNode) flags).remove(key) == null) {
        throw new AdminException(404, "no flag '" + key + "'");
      }
      return;
    }
    removeById(root, "flags", "key", key, "flag");
  }

  static void putTest(ObjectNode root, String id, JsonNode body) throws AdminException {
    upsertById(root, "tests", "id", id, requireObject(body, "tests/" + id));
  }

  static void deleteTest(ObjectNode root, String id) throws AdminException {
    removeById(root, "tests", "id", id, "test");
  }

  static void putConfig(ObjectNode root, String ns, String key, JsonNode value)
      throws AdminException {
    JsonNode config = root.get("config");
    if (config != null && !config.isObject()) {
      throw new AdminException(400, "config is not an object in the stored document");
    }
    ObjectNode c = config == null ? root.putObject("config") : (ObjectNode) config;
    JsonNode nsNode = c.get(ns);
    if (nsNode != null && !nsNode.isObject()) {
      throw new AdminException(400, "config." + ns + " is not an object in the stored document");
    }
    ObjectNode n = nsNode == null ? c.putObject(ns) : (ObjectNode) nsNode;
    n.set(key, value);
  }

  static void deleteConfig(ObjectNode root, String ns, String key) throws AdminException {
    JsonNode nsNode = root.path("config").get(ns);
    if (!(nsNode instanceof ObjectNode n) || n.remove(key) == null) {
      throw new AdminException(404, "no config value '" + ns + "/" + key + "'");
    }
    if (n.isEmpty()) {
      ((ObjectNode) root.get("config")).remove(ns);
    }
  }

  private static ObjectNode requireObject(JsonNode body, String what) throws AdminException {
    if (body == null || !body.isObject()) {
      throw new AdminException(400, what + ": the body must be a JSON object");
    }
    return (ObjectNode) body.deepCopy();
  }

  private static void upsertById(
      ObjectNode root, String field, String idField, String id, ObjectNode item)
      throws AdminException {
    JsonNode idNode = item.get(idField);
    if (idNode != null && !idNode.asText().equals(id)) {
      throw new AdminException(
          400,
          field
              + "/"
              + id
              + ": body has "
              + idField
              + " '"
              + idNode.asText()
              + "', path says '"
              + id
              + "'");
    }
    // The id goes first so the stored file reads naturally.
    ObjectNode withId = JsonNodeFactory.instance.objectNode();
    withId.put(idField, id);
    item.fields()
        .forEachRemaining(
            e -> {
              if (!e.getKey().equals(idField)) {
                withId.set(e.getKey(), e.getValue());
              }
            });
    JsonNode arr = root.get(field);
    if (arr != null && !arr.isArray()) {
      throw new AdminException(400, field + " is not an array in the stored document");
    }
    ArrayNode a = arr == null ? root.putArray(field) : (ArrayNode) arr;
    for (int i = 0; i < a.size(); i++) {
      if (id.equals(a.get(i).path(idField).asText(null))) {
        a.set(i, withId);
        return;
      }
    }
    a.add(withId);
  }

  private static void removeById(
      ObjectNode root, String field, String idField, String id, String what) throws AdminException {
    JsonNode arr = root.get(field);
    if (arr instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        if (id.equals(a.get(i).path(idField).asText(null))) {
          a.remove(i);
          return;
        }
      }
    }
    throw new AdminException(404, "no " + what + " '" + id + "'");
  }
}
