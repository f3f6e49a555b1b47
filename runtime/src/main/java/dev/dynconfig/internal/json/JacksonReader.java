package dev.dynconfig.internal.json;

import static dev.dynconfig.internal.json.Json.MAX_DEPTH;
import static dev.dynconfig.internal.json.Json.MAX_DOCUMENT_BYTES;
import static dev.dynconfig.internal.json.Json.MAX_STRING_LENGTH;
import static dev.dynconfig.internal.json.Json.single;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * {@link Json#read}'s hardened Jackson reader: YAML documents, and JSON the {@link
 * StrictJsonReader} leaves to it (malformed input, limits, duplicate keys, unusual encodings), with
 * Jackson's messages. A class of its own so that Jackson is loaded only when it is needed.
 */
final class JacksonReader {
  private static final StreamReadConstraints CONSTRAINTS =
      StreamReadConstraints.builder()
          .maxDocumentLength(MAX_DOCUMENT_BYTES)
          .maxNestingDepth(MAX_DEPTH)
          .maxStringLength(MAX_STRING_LENGTH)
          .maxNameLength(10_000)
          .maxNumberLength(400)
          .build();

  static final JsonFactory JSON_FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(CONSTRAINTS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private JacksonReader() {}

  /**
   * The YAML factory, built on first use: most documents are JSON, and building it loads SnakeYAML
   * on the application's start-up path (the agent reads its flag file before {@code main}).
   */
  private static final class Yaml {
    static final YAMLFactory FACTORY = yamlFactory();

    private Yaml() {}
  }

  private static YAMLFactory yamlFactory() {
    LoaderOptions loader = new LoaderOptions();
    loader.setCodePointLimit(MAX_DOCUMENT_BYTES);
    loader.setNestingDepthLimit(MAX_DEPTH);
    loader.setMaxAliasesForCollections(10);
    loader.setAllowDuplicateKeys(false);
    YAMLFactory f = YAMLFactory.builder().loaderOptions(loader).build();
    f.setStreamReadConstraints(CONSTRAINTS);
    f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return f;
  }

  /** Reads one JSON ({@code json}) or YAML document; see {@link Json#read(byte[], String)}. */
  static Object read(byte[] content, String origin, boolean json) throws DocumentException {
    try (JsonParser p =
        json ? JSON_FACTORY.createParser(content) : Yaml.FACTORY.createParser(content)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw single(origin, "$", null, "is empty: the document has no content");
      }
      Object value = readValue(p);
      if (p.nextToken() != null) {
        throw single(
            origin,
            "$",
            null,
            "has unexpected content after the document"
                + location(p.currentLocation())
                + "; a file holds exactly one document");
      }
      return value;
    } catch (DocumentException e) {
      throw e;
    } catch (JsonProcessingException e) {
      throw single(
          origin,
          "$",
          null,
          "is not valid " + (json ? "JSON" : "YAML") + location(e.getLocation()) + ": " + clean(e));
    } catch (IOException | RuntimeException e) {
      // SnakeYAML and the JSON parser report some hostile input with unchecked exceptions; whatever
      // happens, a bad document must come back as a DocumentException.
      throw single(
          origin, "$", null, "is not valid " + (json ? "JSON" : "YAML") + ": " + e.getMessage());
    }
  }

  private static String clean(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    return m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ');
  }

  private static String location(JsonLocation loc) {
    if (loc == null || loc.getLineNr() < 0) {
      return "";
    }
    return " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  private static Object readValue(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (p instanceof YAMLParser y && y.isCurrentAlias()) {
      // Aliases let a few bytes stand for gigabytes ("billion laughs"); flag files never need them.
      throw new JsonProcessingException(
          "YAML aliases (*name) are not supported in flag documents", p.currentLocation()) {};
    }
    switch (t) {
      case START_OBJECT:
        {
          Map<String, Object> map = new LinkedHashMap<>();
          while (p.nextToken() != JsonToken.END_OBJECT) {
            String name = p.currentName();
            p.nextToken();
            map.put(name, readValue(p));
          }
          return Collections.unmodifiableMap(map);
        }
      case START_ARRAY:
        {
          List<Object> list = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            list.add(readValue(p));
          }
          return Collections.unmodifiableList(list);
        }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
          case LONG:
            return p.getLongValue();
          default:
            return new BigDecimal(p.getBigIntegerValue());
        }
      case VALUE_NUMBER_FLOAT:
        {
          double d = p.getDoubleValue();
          return Double.isFinite(d) ? (Object) d : p.getDecimalValue();
        }
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      case VALUE_EMBEDDED_OBJECT:
        {
          Object o = p.getEmbeddedObject();
          // YAML binary/timestamps: keep them as text so the document stays plain JSON.
          return o == null ? null : o.toString();
        }
      default:
        throw new JsonProcessingException("unexpected token " + t, p.currentLocation()) {};
    }
  }
}
