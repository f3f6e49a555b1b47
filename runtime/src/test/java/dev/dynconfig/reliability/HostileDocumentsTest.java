package dev.dynconfig.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.ErrorCode;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.internal.document.Document;
import dev.dynconfig.internal.document.DocumentParser;
import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.internal.source.SourceSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile documents, native and flagd: valid ones and mutations of them — deep nesting, huge
 * numbers, bad dates, unknown operators, {@code $ref} cycles, invalid UTF-8, truncation, multi-
 * megabyte strings, polymorphic-typing payloads. For every one the parser either accepts it (and
 * every flag then evaluates without throwing) or rejects it with a {@link DocumentException} whose
 * problems each name a path and a reason; never another exception, never a hang. Offered to a live
 * engine, a rejected document leaves the previous snapshot serving.
 */
class HostileDocumentsTest {
  static final ObjectMapper M = new ObjectMapper();
  static final JsonNodeFactory F = JsonNodeFactory.instance;
  static final Duration HANG_GUARD = Duration.ofSeconds(10);

  static final String NATIVE =
      """
      {"version": 1, "roles": ["viewer", "user", "admin"],
       "flags": [
         {"key": "dash", "defaultValue": false, "environments": ["production"], "minRole": "user",
          "rolloutPercentage": 25, "expiresAt": "2027-12-31T23:59:59Z", "metadata": {"o": "w"}},
         {"key": "plain", "defaultValue": true}],
       "tests": [
         {"id": "t", "status": "running",
          "variants": [{"id": "a", "isControl": true, "config": {"n": 1}}, {"id": "b"}],
          "allocation": {"a": 50, "b": 50},
          "startDate": "2026-01-01T00:00:00Z", "endDate": "2027-01-01T00:00:00Z"}],
       "config": {"ui": {"theme": "dark"}, "limits": {"max": 10}}}
      """;

  static final String FLAGD =
      """
      {"$schema": "https://flagd.dev/schema/v0/flags.json",
       "flags": {
         "color": {"state": "ENABLED", "variants": {"red": "#f00", "blue": "#00f"},
                   "defaultVariant": "red",
                   "targeting": {"if": [{"$ref": "isBeta"}, "blue", null]}},
         "ratio": {"state": "ENABLED", "variants": {"lo": 0.1, "hi": 0.9}, "defaultVariant": "lo",
                   "targeting": {"fractional": [["lo", 50], ["hi", 50]]}},
         "sem": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                 "targeting": {"if": [{"sem_ver": [{"var": "v"}, ">=", "1.2.0"]}, "on", "off"]}}},
       "$evaluators": {"isBeta": {"in": [{"var": "email"}, ["a@x", "b@x"]]}}}
      """;

  static DynamicConfig engine;
  static long engineVersion = 1000;
  static int accepted;
  static int rejected;

  @BeforeContainer
  static void startEngine() {
    engine = DynamicConfig.create(DynamicConfigOptions.builder().registerJmx(false).build());
    engine.initialize();
  }

  @AfterContainer
  static void stopEngine() {
    engine.close();
    System.out.printf("hostile documents: %d accepted, %d rejected%n", accepted, rejected);
  }

  /** The hostile values a mutation plants somewhere in a valid document. */
  static Arbitrary<JsonNode> hostileValue() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(2, 3000).map(HostileDocumentsTest::nested),
        Arbitraries.of(
                "1e999999",
                "-1e-999999",
                "123456789012345678901234567890123456789",
                "1" + "0".repeat(399),
                "1" + "0".repeat(450),
                "-0",
                "1.0E308",
                "9223372036854775808")
            .map(HostileDocumentsTest::number),
        Arbitraries.of(
                "2027-13-45T99:99:99Z",
                "yesterday",
                "",
                "2027-02-30T00:00:00Z",
                "+999999999-12-31T23:59:59Z",
                "2027-01-01")
            .map(F::textNode),
        Arbitraries.of("frobnicate", "eval", "$where", "==", "var", "fractional", "sem_ver", "$ref")
            .map(op -> op(op)),
        Arbitraries.of(900_000, 1_000_001, 2_500_000).map(n -> F.textNode("z".repeat(n))),
        Arbitraries.strings().ofMaxLength(40).map(F::textNode),
        Arbitraries.of(
            F.nullNode(),
            F.booleanNode(true),
            F.objectNode(),
            F.arrayNode(),
            F.numberNode(-1),
            F.numberNode(101),
            polymorphic(),
            refCycle()));
  }

  static JsonNode nested(int depth) {
    if (depth > 500) {
      // Jackson's writer refuses such depth too; spliced in as text by plant().
      return F.textNode("__DEEP_" + depth + "__");
    }
    JsonNode n = F.numberNode(1);
    for (int i = 0; i < depth; i++) {
      n = i % 2 == 0 ? F.arrayNode().add(n) : F.objectNode().set("k", n);
    }
    return n;
  }

  static JsonNode number(String text) {
    try {
      return M.readTree(text);
    } catch (Exception e) {
      return F.textNode(text);
    }
  }

  static JsonNode op(String name) {
    ObjectNode o = F.objectNode();
    o.putArray(name).add(F.objectNode().put("var", "email")).add("x").add(3);
    return o;
  }

  /** Jackson default-typing payload: must stay an ordinary map. */
  static JsonNode polymorphic() {
    ObjectNode o = F.objectNode();
    o.put("@class", "java.lang.ProcessBuilder");
    o.putArray("command").add("touch").add("/tmp/dynconfig-pwned");
    ArrayNode wrapper = F.arrayNode().add("java.net.URL").add("http://127.0.0.1:1/");
    o.set("@type", wrapper);
    return o;
  }

  static JsonNode refCycle() {
    return F.objectNode().put("$ref", "isBeta");
  }

  /** A mutation of one of the base documents, as the bytes a source would deliver. */
  @Provide
  Arbitrary<byte[]> hostileDocuments() {
    Arbitrary<byte[]> planted =
        Combinators.combine(
                Arbitraries.of(NATIVE, FLAGD),
                Arbitraries.integers().between(0, 10_000),
                hostileValue(),
                Arbitraries.of(true, false))
            .as(HostileDocumentsTest::plant);
    Arbitrary<byte[]> cycles =
        Arbitraries.integers().between(1, 5).map(HostileDocumentsTest::withRefCycle);
    Arbitrary<byte[]> bytes =
        Combinators.combine(
                Arbitraries.of(NATIVE, FLAGD),
                Arbitraries.integers().between(0, 1_000_000),
                Arbitraries.of(0, 1, 2, 3))
            .as(HostileDocumentsTest::mangleBytes);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, planted),
        net.jqwik.api.Tuple.of(1, cycles),
        net.jqwik.api.Tuple.of(3, bytes));
  }

  /** Replaces (or adds next to) the {@code where}-th node of the document with {@code value}. */
  static byte[] plant(String base, int where, JsonNode value, boolean replace) {
    try {
      JsonNode root = M.readTree(base);
      List<JsonNode> containers = new ArrayList<>();
      collect(root, containers);
      JsonNode target = containers.get(where % containers.size());
      if (target instanceof ObjectNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        if (replace && !names.isEmpty()) {
          o.set(names.get(where % names.size()), value);
        } else {
          o.set("x" + where, value);
        }
      } else if (target instanceof ArrayNode a) {
        if (replace && !a.isEmpty()) {
          a.set(where % a.size(), value);
        } else {
          a.add(value);
        }
      }
      String text = M.writeValueAsString(root);
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("\"__DEEP_(\\d+)__\"").matcher(text);
      if (m.find()) {
        int depth = Integer.parseInt(m.group(1));
        text =
            text.substring(0, m.start())
                + "[".repeat(depth)
                + "1"
                + "]".repeat(depth)
                + text.substring(m.end());
      }
      return text.getBytes(StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void collect(JsonNode n, List<JsonNode> out) {
    if (n.isContainerNode()) {
      out.add(n);
      n.forEach(c -> collect(c, out));
    }
  }

  /** A chain of evaluators whose last one points back to the first. */
  static byte[] withRefCycle(int length) {
    StringBuilder ev = new StringBuilder();
    for (int i = 0; i < length; i++) {
      ev.append(i == 0 ? "" : ",")
          .append("\"e")
          .append(i)
          .append("\": {\"$ref\": \"e")
          .append((i + 1) % length)
          .append("\"}");
    }
    String doc =
        "{\"flags\": {\"c\": {\"state\": \"ENABLED\", \"variants\": {\"on\": true, \"off\": false},"
            + " \"defaultVariant\": \"off\", \"targeting\": {\"if\": [{\"$ref\": \"e0\"}, \"on\","
            + " \"off\"]}}}, \"$evaluators\": {"
            + ev
            + "}}";
    return doc.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] mangleBytes(String base, int where, int how) {
    byte[] b = base.getBytes(StandardCharsets.UTF_8);
    int at = where % b.length;
    return switch (how) {
      case 0 -> java.util.Arrays.copyOf(b, at); // truncated
      case 1 -> { // invalid UTF-8 (a lone continuation byte, an overlong form)
        byte[] c = java.util.Arrays.copyOf(b, b.length + 2);
        System.arraycopy(b, at, c, at + 2, b.length - at);
        c[at] = (byte) 0xC0;
        c[at + 1] = (byte) 0x80;
        yield c;
      }
      case 2 -> { // a flipped byte
        byte[] c = b.clone();
        c[at] ^= (byte) (1 + where % 127);
        yield c;
      }
      default -> { // NUL and a BOM in the middle
        byte[] c = java.util.Arrays.copyOf(b, b.length + 4);
        System.arraycopy(b, at, c, at + 4, b.length - at);
        c[at] = 0;
        c[at + 1] = (byte) 0xEF;
        c[at + 2] = (byte) 0xBB;
        c[at + 3] = (byte) 0xBF;
        yield c;
      }
    };
  }

  @Property(tries = 300)
  void everyDocument_isAcceptedSanelyOrRejectedPrecisely_andTheLastGoodOneKeepsServing(
      @ForAll("hostileDocuments") byte[] doc) throws Exception {
    // A known good snapshot first.
    long good = ++engineVersion;
    assertThat(engine.sink().offer(NATIVE.getBytes(StandardCharsets.UTF_8), good, "base.json"))
        .isEqualTo(SourceSink.OfferResult.APPLIED);
    boolean plainBefore = engine.isFlagEnabled("plain");

    Object outcome =
        assertTimeoutPreemptively(
            HANG_GUARD,
            () -> {
              try {
                // What the engine serves from: flagd flags with broken targeting are kept.
                return DocumentParser.load(doc, "hostile.json");
              } catch (DocumentException e) {
                return e;
              }
            });
    long next = ++engineVersion;
    SourceSink.OfferResult r =
        assertTimeoutPreemptively(HANG_GUARD, () -> engine.sink().offer(doc, next, "hostile.json"));
    if (outcome instanceof DocumentException e) {
      rejected++;
      assertThat(e.problems()).isNotEmpty();
      for (DocumentException.Problem p : e.problems()) {
        assertThat(p.path()).as(e.getMessage()).isNotBlank();
        assertThat(p.reason()).as(e.getMessage()).isNotBlank();
      }
      assertThat(e.getMessage()).startsWith("hostile.json");
      assertThat(e.getMessage().length()).as("error size").isLessThan(20_000);
      assertThat(r).isEqualTo(SourceSink.OfferResult.REJECTED);
      assertThat(engine.getState().version()).isEqualTo(good);
      assertThat(engine.isFlagEnabled("plain")).isEqualTo(plainBefore);
      assertThat(engine.getState().lastError()).contains("hostile.json");
    } else {
      accepted++;
      Document d = (Document) outcome;
      assertThat(r).isIn(SourceSink.OfferResult.APPLIED, SourceSink.OfferResult.UNCHANGED);
      assertThat(engine.getState().version()).isEqualTo(next);
      assertNoPolymorphicObjects(d.raw());
      EvaluationContext ctx =
          EvaluationContext.builder()
              .targetingKey("user-1")
              .userId("user-1")
              .environment("production")
              .build();
      for (String key : keys(d)) {
        FlagEvaluation result =
            assertTimeoutPreemptively(HANG_GUARD, () -> engine.evaluateFlag(key, ctx));
        if (d.brokenFlags().containsKey(key)) {
          assertThat(result.errorCode()).isEqualTo(ErrorCode.PARSE_ERROR);
        }
      }
      if (!d.brokenFlags().isEmpty()) {
        // validate and admin writes stay strict: the same bytes are refused there.
        assertThatThrownBy(() -> DocumentParser.parse(doc, "hostile.json"))
            .isInstanceOf(DocumentException.class);
      }
    }
  }

  static List<String> keys(Document d) {
    List<String> k = new ArrayList<>();
    d.flags().forEach(f -> k.add(f.key()));
    d.flagdFlags().forEach(f -> k.add(f.key()));
    return k;
  }

  /** Parsed values are plain JSON values only: no class named in the document was instantiated. */
  static void assertNoPolymorphicObjects(Object v) {
    if (v instanceof Map<?, ?> m) {
      m.forEach(
          (key, val) -> {
            assertThat(key).isInstanceOf(String.class);
            assertNoPolymorphicObjects(val);
          });
    } else if (v instanceof List<?> l) {
      l.forEach(HostileDocumentsTest::assertNoPolymorphicObjects);
    } else if (v != null) {
      assertThat(v)
          .isInstanceOfAny(
              String.class,
              Long.class,
              Integer.class,
              Double.class,
              java.math.BigDecimal.class,
              java.math.BigInteger.class,
              Boolean.class);
    }
  }
}
