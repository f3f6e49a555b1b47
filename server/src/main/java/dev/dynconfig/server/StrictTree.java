package dev.dynconfig.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dynconfig.internal.json.Json;
import java.io.IOException;

/**
 * The server's JSON trees: admin bodies, the flag file and the sidecar are read exactly as written
 * or refused. Numbers keep every digit ({@code 1e400} stays {@code 1E+400}, {@code 0.1000…1} keeps
 * its digits); duplicate keys, trailing content and nesting deeper than {@value Json#MAX_DEPTH} are
 * errors that name the JSON path, never a silently different value.
 */
final class StrictTree {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxDocumentLength(Json.MAX_DOCUMENT_BYTES)
                  .maxNestingDepth(Json.MAX_DEPTH)
                  .maxStringLength(Json.MAX_STRING_LENGTH)
                  .maxNameLength(10_000)
                  .maxNumberLength(400)
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  /** Reads and writes trees; numbers as {@link java.math.BigDecimal} when they have a fraction. */
  static final ObjectMapper MAPPER =
      JsonMapper.builder(FACTORY)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private StrictTree() {}

  /** A JSON text that cannot be read exactly: what is wrong, and where. */
  static final class Refused extends Exception {
    private final String path;

    Refused(String path, String reason) {
      super(reason);
      this.path = path;
    }

    /** JSON path of the offending value, e.g. {@code $.flags[0].key}. */
    String path() {
      return path;
    }
  }

  static JsonNode read(byte[] bytes) throws Refused {
    try {
      JsonNode n = MAPPER.readTree(bytes);
      if (n == null || n.isMissingNode()) {
        throw new Refused("$", "is empty: no JSON value");
      }
      return n;
    } catch (JsonProcessingException e) {
      String path = e.getProcessor() instanceof JsonParser p ? path(p.getParsingContext()) : "$";
      throw new Refused(path, e.getOriginalMessage());
    } catch (IOException e) {
      throw new Refused("$", e.getMessage());
    }
  }

  private static String path(JsonStreamContext ctx) {
    StringBuilder out = new StringBuilder();
    for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      String part;
      if (c.inArray()) {
        part = "[" + Math.max(0, c.getCurrentIndex()) + "]";
      } else {
        part = c.getCurrentName() == null ? "" : "." + c.getCurrentName();
      }
      out.insert(0, part);
    }
    return "$" + out;
  }
}
