package dev.dynconfig.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

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

  private Json() {}

  /**
   * The databind mapper, built on first use. Reading documents never needs it ({@link
   * StrictJsonReader}, {@link JacksonReader}), and writing plain values is done by {@link
   * PlainJson}; building an {@code ObjectMapper} loads ~300 classes, which would otherwise sit on
   * the application's start-up path (the agent reads its flag file before {@code main}). Only
   * conversions to other types and writing records or beans need it.
   */
  private static final class Databind {
    static final ObjectMapper MAPPER = build(JsonMapper.builder(JacksonReader.JSON_FACTORY));

    static ObjectMapper build(JsonMapper.Builder builder) {
      return builder
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();
    }

    private Databind() {}

    static String write(Object value, boolean pretty) {
      try {
        return pretty
            ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value)
            : MAPPER.writeValueAsString(value);
      } catch (JsonProcessingException e) {
        return String.valueOf(value);
      }
    }
  }

  /**
   * The shared, hardened mapper (no default typing, duplicate keys and trailing tokens rejected).
   * Use it for {@code convertValue} and writing; do not reconfigure it.
   */
  public static ObjectMapper mapper() {
    return Databind.MAPPER;
  }

  /**
   * A mapper configured like {@link #mapper()} but with caches of its own (types, deserializers),
   * for {@link #convert(Object, java.lang.reflect.Type, ObjectMapper)} to types of another class
   * loader: the shared mapper caches every type it converts to, which would keep an application's
   * enum or record, and with it its class loader, alive for the life of the JVM. Keep it only as
   * long as that type.
   */
  public static ObjectMapper isolatedMapper() {
    // A copy of the factory too: a mapper makes itself the codec of a factory that has none.
    return Databind.build(
        JsonMapper.builder(JacksonReader.JSON_FACTORY.copy())
            .typeFactory(
                com.fasterxml.jackson.databind.type.TypeFactory.defaultInstance()
                    .withCache(
                        new com.fasterxml.jackson.databind.util.LRUMap<
                            Object, com.fasterxml.jackson.databind.JavaType>(16, 200))));
  }

  /**
   * {@code raw} as an instance of {@code type}, with the shared {@link #mapper()}; see {@link
   * #convert(Object, java.lang.reflect.Type, ObjectMapper)}.
   */
  public static Object convert(Object raw, java.lang.reflect.Type type) {
    return convert(raw, type, null);
  }

  /**
   * {@code raw} (a plain JSON value) as an instance of {@code type}: primitives (as their box),
   * boxes, String, enums, List/Map and records, honouring generic types such as {@code List<Long>}.
   * The one conversion used by {@code getRuntimeConfig(…, type)} and the agent's
   * {@code @ConfigValue}.
   *
   * @param mapper the mapper for conversions it is needed for; null for the shared one
   * @throws IllegalArgumentException when it cannot be converted; the message says why
   */
  public static Object convert(Object raw, java.lang.reflect.Type type, ObjectMapper mapper) {
    java.util.Objects.requireNonNull(raw, "raw");
    Object plain = PlainConversion.convert(raw, type);
    if (plain != PlainConversion.UNSUPPORTED) {
      return plain;
    }
    if (mapper == null) {
      mapper = Databind.MAPPER;
    }
    com.fasterxml.jackson.databind.JavaType javaType = mapper.getTypeFactory().constructType(type);
    Class<?> target = box(javaType.getRawClass());
    if (target.isInstance(raw) && !javaType.isContainerType()) {
      return raw;
    }
    Object value;
    try {
      value = mapper.convertValue(raw, javaType);
    } catch (IllegalArgumentException e) {
      // Jackson's own message adds where in its token buffer it was ("[Source: UNKNOWN; byte
      // offset: #UNKNOWN]"), which means nothing to the reader: keep only what went wrong.
      throw new IllegalArgumentException(plainMessage(e), e);
    }
    if (value == null || !target.isInstance(value)) {
      throw new IllegalArgumentException(
          "converted to " + (value == null ? "null" : value.getClass().getName()));
    }
    return value;
  }

  private static String plainMessage(IllegalArgumentException e) {
    String message =
        e.getCause() instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (message == null) {
      return e.toString();
    }
    int location = message.indexOf("\n at [Source");
    return (location < 0 ? message : message.substring(0, location)).replace("`", "");
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
    if (json) {
      // Well-formed JSON, the usual flag file, is read without loading Jackson; anything the strict
      // reader is not sure about is read (accepted or rejected) by Jackson as before.
      Object value = StrictJsonReader.read(content);
      if (value != null) {
        return value;
      }
    }
    return JacksonReader.read(content, origin, json);
  }

  /** Reads JSON or YAML text (see {@link #read(byte[], String)}). */
  public static Object read(String text, String origin) throws DocumentException {
    return read(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), origin);
  }

  static boolean looksLikeJson(byte[] content) {
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

  /** Writes plain Java values (or records/beans) as compact JSON text. */
  public static String write(Object value) {
    String plain = PlainJson.write(value);
    if (plain != null) {
      return plain;
    }
    return Databind.write(value, false);
  }

  /** Writes plain Java values as indented JSON text. */
  public static String writePretty(Object value) {
    return Databind.write(value, true);
  }

  /**
   * Renders a value for an error message: JSON text, shortened to about 120 characters. Strings
   * come out quoted.
   */
  public static String render(Object value) {
    String s = write(value);
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }

  static DocumentException single(String origin, String path, String value, String reason) {
    return new DocumentException(
        origin, List.of(new DocumentException.Problem(path, value, reason)));
  }
}
