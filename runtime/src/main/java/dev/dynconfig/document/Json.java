package dev.dynconfig.document;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
 * Hardened JSON/YAML reading and JSON writing shared by the document parser, the engine and the
 * CLI.
 *
 * <p>Documents arrive from files and the network, so the readers are bounded: at most {@value
 * #MAX_DOCUMENT_BYTES} bytes, {@value #MAX_DEPTH} levels of nesting, strings of at most {@value
 * #MAX_STRING_LENGTH} characters; duplicate keys and trailing content are errors; no polymorphic
 * typing is ever enabled. Values are returned as plain, unmodifiable Java values: {@link Map}
 * (insertion-ordered), {@link List}, {@link String}, {@link Long} (integers), {@link Double}
 * (decimals), {@link BigDecimal} (numbers that fit neither), {@link Boolean} and {@code null}.
 */
public final class Json {
  /** Largest accepted document. */
  public static final int MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

  /** Deepest accepted nesting of objects/arrays. */
  public static final int MAX_DEPTH = 64;

  /** Longest accepted string value. */
  public static final int MAX_STRING_LENGTH = 1_000_000;

  private static final StreamReadConstraints CONSTRAINTS =
      StreamReadConstraints.builder()
          .maxDocumentLength(MAX_DOCUMENT_BYTES)
          .maxNestingDepth(MAX_DEPTH)
          .maxStringLength(MAX_STRING_LENGTH)
          .maxNameLength(10_000)
          .maxNumberLength(400)
          .build();

  private static final JsonFactory JSON_FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(CONSTRAINTS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(JSON_FACTORY)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private Json() {}

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

  /**
   * The shared, hardened mapper (no default typing, duplicate keys and trailing tokens rejected).
   * Use it for {@code convertValue} and writing; do not reconfigure it.
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * {@code raw} (a plain JSON value) as an instance of {@code type}: primitives (as their box),
   * boxes, String, enums, List/Map and records, honouring generic types such as {@code List<Long>}.
   * The one conversion used by {@code getRuntimeConfig(…, type)} and the agent's
   * {@code @ConfigValue}.
   *
   * @throws IllegalArgumentException when it cannot be converted; the message says why
   */
  public static Object convert(Object raw, java.lang.reflect.Type type) {
    java.util.Objects.requireNonNull(raw, "raw");
    com.fasterxml.jackson.databind.JavaType javaType = MAPPER.getTypeFactory().constructType(type);
    Class<?> target = box(javaType.getRawClass());
    if (target.isInstance(raw) && !javaType.isContainerType()) {
      return raw;
    }
    Object value = MAPPER.convertValue(raw, javaType);
    if (value == null || !target.isInstance(value)) {
      throw new IllegalArgumentException(
          "converted to " + (value == null ? "null" : value.getClass().getName()));
    }
    return value;
  }

  private static Class<?> box(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    if (c == int.class) {
      return Integer.class;
    }
    if (c == long.class) {
      return Long.class;
    }
    if (c == boolean.class) {
      return Boolean.class;
    }
    if (c == double.class) {
      return Double.class;
    }
    if (c == float.class) {
      return Float.class;
    }
    if (c == short.class) {
      return Short.class;
    }
    if (c == byte.class) {
      return Byte.class;
    }
    if (c == char.class) {
      return Character.class;
    }
    return Void.class;
  }

  /**
   * Reads a JSON or YAML document (YAML unless the first non-blank character is <code>{</code> or
   * <code>[</code>) into plain Java values.
   *
   * @throws DocumentException with one problem at path {@code $} when the text is not well-formed
   *     or exceeds a limit
   */
  public static Object read(byte[] content, String origin) throws DocumentException {
    if (content == null) {
      throw single(origin, "$", null, "is empty: no document was received");
    }
    if (content.length > MAX_DOCUMENT_BYTES) {
      throw single(
          origin,
          "$",
          null,
          "is "
              + content.length
              + " bytes, more than the limit of "
              + MAX_DOCUMENT_BYTES
              + " bytes");
    }
    boolean json = looksLikeJson(content);
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

  /** Reads JSON or YAML text (see {@link #read(byte[], String)}). */
  public static Object read(String text, String origin) throws DocumentException {
    return read(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), origin);
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

  private static boolean looksLikeJson(byte[] content) {
    int i = 0;
    // UTF-8 byte order mark
    if (content.length >= 3
        && (content[0] & 0xFF) == 0xEF
        && (content[1] & 0xFF) == 0xBB
        && (content[2] & 0xFF) == 0xBF) {
      i = 3;
    }
    for (; i < content.length; i++) {
      byte b = content[i];
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        continue;
      }
      return b == '{' || b == '[';
    }
    return true;
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

  /** Writes plain Java values (or records/beans) as compact JSON text. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  /** Writes plain Java values as indented JSON text. */
  public static String writePretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  /**
   * Renders a value for an error message: JSON text, shortened to about 120 characters. Strings
   * come out quoted.
   */
  public static String render(Object value) {
    String s = write(value);
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }

  private static DocumentException single(String origin, String path, String value, String reason) {
    return new DocumentException(
        origin, List.of(new DocumentException.Problem(path, value, reason)));
  }
}
