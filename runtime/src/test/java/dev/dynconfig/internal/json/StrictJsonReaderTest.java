package dev.dynconfig.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Json#read} reads well-formed JSON with {@link StrictJsonReader} and everything else with
 * Jackson ({@link JacksonReader}, the reader it always used). These tests hold the two paths to the
 * same outcome on every input: the same tree (same key order, same number types, unmodifiable), or
 * the same {@link DocumentException} message.
 */
class StrictJsonReaderTest {

  /** Json.read's outcome: the value, or the error message. */
  record Outcome(Object value, String error) {}

  static Outcome viaJson(byte[] content) {
    try {
      return new Outcome(Json.read(content, "flags.json"), null);
    } catch (DocumentException e) {
      return new Outcome(null, e.getMessage());
    }
  }

  /** Json.read as it was before the strict reader existed: Jackson for every document. */
  static Outcome viaJackson(byte[] content) {
    try {
      return new Outcome(
          JacksonReader.read(content, "flags.json", Json.looksLikeJson(content)), null);
    } catch (DocumentException e) {
      return new Outcome(null, e.getMessage());
    }
  }

  static void assertSameOutcome(byte[] content) {
    Outcome expected = viaJackson(content);
    Outcome actual = viaJson(content);
    String shown = new String(content, StandardCharsets.UTF_8);
    assertThat(actual.error()).as("error for %s", shown).isEqualTo(expected.error());
    assertSameTree(actual.value(), expected.value(), "$ of " + shown);
  }

  /** Equal, with the same classes everywhere (Long vs Double vs BigDecimal) and key order. */
  static void assertSameTree(Object actual, Object expected, String where) {
    if (expected == null) {
      assertThat(actual).as(where).isNull();
      return;
    }
    assertThat(actual).as(where).isNotNull();
    assertThat(actual.getClass()).as(where).isEqualTo(expected.getClass());
    if (expected instanceof Map<?, ?> em) {
      Map<?, ?> am = (Map<?, ?>) actual;
      assertThat(new ArrayList<>(am.keySet())).as(where).isEqualTo(new ArrayList<>(em.keySet()));
      for (Map.Entry<?, ?> e : em.entrySet()) {
        assertSameTree(am.get(e.getKey()), e.getValue(), where + "." + e.getKey());
      }
    } else if (expected instanceof List<?> el) {
      List<?> al = (List<?>) actual;
      assertThat(al).as(where).hasSameSizeAs(el);
      Iterator<?> a = al.iterator();
      int i = 0;
      for (Object e : el) {
        assertSameTree(a.next(), e, where + "[" + i++ + "]");
      }
    } else {
      assertThat(actual).as(where).isEqualTo(expected);
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // --- real documents ------------------------------------------------------------------------

  static Stream<Path> documents() throws java.io.IOException {
    List<Path> all = new ArrayList<>();
    Path root = Path.of(System.getProperty("dynconfig.conformance.dir", "../shared/conformance"));
    if (Files.isDirectory(root)) {
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(all::add);
      }
    }
    for (String repoFile :
        List.of("../demo/flags.json", "../bench/src/main/resources/agent-bench/flags.json")) {
      if (Files.isRegularFile(Path.of(repoFile))) {
        all.add(Path.of(repoFile));
      }
    }
    return all.isEmpty() ? Stream.of(Path.of("<no documents found>")) : all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  void everyDocument_readsAsJacksonReadsIt_withoutJackson(Path file) throws Exception {
    assumeTrue(Files.isRegularFile(file), "documents not found: " + file);
    byte[] content = Files.readAllBytes(file);
    assertSameOutcome(content);
    if (viaJackson(content).error() == null) {
      // The point of the strict reader: real flag files never need Jackson.
      assertThat(StrictJsonReader.read(content)).as("strict reader handled it").isNotNull();
    }
  }

  @Test
  void generatedStartupBenchFile_isReadWithoutJackson() {
    StringBuilder flags = new StringBuilder("{\"version\": 1, \"flags\": [");
    for (int n = 0; n < 13; n++) {
      flags.append(n == 0 ? "" : ",\n").append("{\"key\": \"gen-flag-").append(n);
      flags.append("\", \"defaultValue\": true}");
    }
    flags.append("], \"config\": {\"gen\": {\"value2\": 2, \"ratio\": 0.25}}}\n");
    byte[] content = bytes(flags.toString());
    assertThat(StrictJsonReader.read(content)).isNotNull();
    assertSameOutcome(content);
  }

  // --- edge cases, each compared with Jackson --------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "-0",
        "0.0",
        "-0.0",
        "1",
        "-1",
        "1.5",
        "1e2",
        "1E2",
        "1e+2",
        "1e-2",
        "1.5e-3",
        "123456789",
        "1234567890",
        "999999999999999999",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "1e400",
        "-1e400",
        "1e-400",
        "4.9e-324",
        "1.7976931348623157e308",
        "0.1",
        "12.3400",
        "01",
        "-01",
        "00",
        "1.",
        ".5",
        "+1",
        "-",
        "1e",
        "1e+",
        "1.e5",
        "NaN",
        "Infinity",
        "-Infinity",
        "0x10",
        "1_000",
        "1 2",
        "--1",
        "1.5.2"
      })
  void numbers_readAsJacksonReadsThem(String number) {
    assertSameOutcome(bytes("[" + number + "]"));
    assertSameOutcome(bytes("{\"n\":" + number + "}"));
    assertSameOutcome(bytes("{\"n\":[" + number + ",1]}"));
  }

  @Test
  void longNumbers_readAsJacksonReadsThem() {
    for (int digits : new int[] {17, 18, 19, 20, 99, 100, 101, 399, 400, 401, 1000}) {
      String n = "7".repeat(digits);
      assertSameOutcome(bytes("[" + n + "]"));
      assertSameOutcome(bytes("[-" + n + "]"));
      assertSameOutcome(bytes("[0." + n + "]"));
      assertSameOutcome(bytes("[1e" + n + "]"));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"\"",
        "\"plain\"",
        "\"a\\\"b\"",
        "\"a\\\\b\"",
        "\"a\\/b\"",
        "\"\\b\\f\\n\\r\\t\"",
        "\"\\u0041\\u00e9\\u20AC\"",
        "\"\\ud83d\\ude00\"",
        "\"\\ud800\"",
        "\"\\udc00x\"",
        "\"\\u004\"",
        "\"\\u00G1\"",
        "\"\\x41\"",
        "\"\\'\"",
        "\"caf\u00e9 \u20ac \ud83d\ude00\"",
        "\"tab\there\"",
        "\"nl\nhere\"",
        "\"\u007f\"",
        "'single'",
        "\"unterminated"
      })
  void strings_readAsJacksonReadsThem(String string) {
    assertSameOutcome(bytes("[" + string + "]"));
    assertSameOutcome(bytes("{" + string + ":1}"));
  }

  @Test
  void utf8_validAndInvalidSequences_readAsJacksonReadsThem() {
    int[][] sequences = {
      {0xC3, 0xA9},
      {0xE2, 0x82, 0xAC},
      {0xF0, 0x9F, 0x98, 0x80},
      {0xF4, 0x8F, 0xBF, 0xBF},
      {0xC0, 0x80},
      {0xC1, 0xBF},
      {0xE0, 0x80, 0x80},
      {0xED, 0xA0, 0x80},
      {0xF0, 0x80, 0x80, 0x80},
      {0xF4, 0x90, 0x80, 0x80},
      {0xF5, 0x80, 0x80, 0x80},
      {0xFF},
      {0x80},
      {0xC3},
      {0xE2, 0x82},
      {0xC3, 0x28},
      {0xEF, 0xBF, 0xBE},
      {0xEF, 0xBB, 0xBF}
    };
    for (int[] seq : sequences) {
      byte[] doc = new byte[seq.length + 4];
      doc[0] = '[';
      doc[1] = '"';
      for (int k = 0; k < seq.length; k++) {
        doc[2 + k] = (byte) seq[k];
      }
      doc[seq.length + 2] = '"';
      doc[seq.length + 3] = ']';
      assertSameOutcome(doc);
      byte[] name = new byte[seq.length + 6]; // {"<seq>":1}
      name[0] = '{';
      name[1] = '"';
      System.arraycopy(doc, 2, name, 2, seq.length);
      name[seq.length + 2] = '"';
      name[seq.length + 3] = ':';
      name[seq.length + 4] = '1';
      name[seq.length + 5] = '}';
      assertSameOutcome(name);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "\n\t ",
        "{",
        "[",
        "}",
        "{}",
        "[]",
        " {} ",
        "{} x",
        "{}{}",
        "[] []",
        "{,}",
        "{\"a\":1,}",
        "[1,]",
        "[,1]",
        "{\"a\" 1}",
        "{\"a\":}",
        "{a:1}",
        "{'a':1}",
        "{\"a\":1 \"b\":2}",
        "[1 2]",
        "[true]",
        "[truex]",
        "[tru]",
        "[nul]",
        "[False]",
        "[null,]",
        "{\"a\":1}//c",
        "/*c*/{}",
        "{\"a\":1,\"a\":2}",
        "{\"a\":{\"b\":1,\"b\":1}}",
        "{\"a\":1,\"b\":{\"a\":2}}",
        "[\"\\u0000\"]",
        "\u000b{}",
        "{}\u0000",
        "{\"\":\"\"}",
        "[[[[]]]]",
        "{\"a\":[{\"b\":[{}]}]}",
        "\r\n{\r\n\"a\"\r\n:\r\n1\r\n}\r\n"
      })
  void structure_readsAsJacksonReadsIt(String doc) {
    assertSameOutcome(bytes(doc));
  }

  @Test
  void byteOrderMarks_readAsJacksonReadsThem() {
    assertSameOutcome(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'});
    assertSameOutcome(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, ' ', '[', '1', ']'});
    byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16); // with its BOM
    assertSameOutcome(utf16);
    assertSameOutcome("{\"a\":1}".getBytes(StandardCharsets.UTF_16LE));
  }

  @Test
  void nestingAroundTheLimit_readsAsJacksonReadsIt() {
    for (int depth = 1; depth <= Json.MAX_DEPTH + 3; depth++) {
      assertSameOutcome(bytes("[".repeat(depth) + "]".repeat(depth)));
      assertSameOutcome(bytes("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)));
    }
    assertSameOutcome(bytes("[".repeat(100_000)));
  }

  @Test
  void longStringsAndNames_readAsJacksonReadsThem() {
    for (int length : new int[] {4_999, 5_000, 5_001, 10_000, 10_001}) {
      String s = "n".repeat(length);
      assertSameOutcome(bytes("{\"" + s + "\":1}"));
    }
    // Jackson limits names in UTF-8 bytes (10,000), not in characters.
    for (int length : new int[] {2_499, 3_333, 3_334, 4_999, 5_001}) {
      assertSameOutcome(bytes("{\"" + "\u00e9\u20ac".repeat(length / 2) + "\":1}"));
      assertSameOutcome(bytes("{\"" + "\\n".repeat(length) + "\":1}"));
      assertSameOutcome(bytes("{\"" + "\\u20ac".repeat(length) + "\":1}"));
    }
    for (int length : new int[] {Json.MAX_STRING_LENGTH / 2, Json.MAX_STRING_LENGTH + 1}) {
      String s = "v".repeat(length);
      assertSameOutcome(bytes("[\"" + s + "\"]"));
      assertSameOutcome(bytes("[\"\u00e9" + s + "\"]"));
    }
  }

  @Test
  void readTree_isUnmodifiable() {
    Object tree = StrictJsonReader.read(bytes("{\"a\":[1,{\"b\":2}]}"));
    assertThat(tree).isNotNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ((Map<String, Object>) cast(tree)).put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object o) {
    return (T) o;
  }

  // --- properties: generated documents and their mutations ------------------------------------

  @Property(tries = 300)
  void generatedDocuments_readAsJacksonReadsThem(@ForAll("documentsText") String doc) {
    assertSameOutcome(bytes(doc));
  }

  @Property(tries = 1000)
  void mutatedDocuments_readAsJacksonReadsThem(
      @ForAll("documentsText") String doc,
      @ForAll("positions") int at,
      @ForAll("mutationBytes") byte b,
      @ForAll("mutationKinds") int kind) {
    byte[] content = bytes(doc);
    int p = Math.floorMod(at, content.length + 1);
    byte[] mutated;
    switch (kind) {
      case 0 -> { // delete one byte
        if (content.length == 0 || p == content.length) {
          return;
        }
        mutated = new byte[content.length - 1];
        System.arraycopy(content, 0, mutated, 0, p);
        System.arraycopy(content, p + 1, mutated, p, content.length - p - 1);
      }
      case 1 -> { // insert one byte
        mutated = new byte[content.length + 1];
        System.arraycopy(content, 0, mutated, 0, p);
        mutated[p] = b;
        System.arraycopy(content, p, mutated, p + 1, content.length - p);
      }
      case 2 -> { // replace one byte
        if (p == content.length) {
          return;
        }
        mutated = content.clone();
        mutated[p] = b;
      }
      default -> mutated = java.util.Arrays.copyOf(content, p); // truncate
    }
    assertSameOutcome(mutated);
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 10_000);
  }

  @Provide
  Arbitrary<Integer> mutationKinds() {
    return Arbitraries.integers().between(0, 3);
  }

  @Provide
  Arbitrary<Byte> mutationBytes() {
    return Arbitraries.oneOf(
        Arbitraries.of(
                '{', '}', '[', ']', ',', ':', '"', '\\', '-', '+', '.', 'e', '0', '1', ' ', '\n',
                't', 'n', 'u', '/', '\t')
            .map(c -> (byte) c.charValue()),
        Arbitraries.bytes());
  }

  @Provide
  Arbitrary<String> documentsText() {
    return Arbitraries.oneOf(
        json(3).map(v -> "{\"k\":" + v + "}"), json(3).list().ofMaxSize(3).map(List::toString));
  }

  /** JSON text of values at most {@code depth} containers deep, with varied whitespace. */
  private Arbitrary<String> json(int depth) {
    Arbitrary<String> ws = Arbitraries.of("", " ", "\n", "\t", "\r\n ");
    Arbitrary<String> scalar =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(8).map(Json::write),
            Arbitraries.strings().withChars("ab\\\"é€😀").ofMaxLength(6).map(Json::write),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.doubles().map(String::valueOf),
            Arbitraries.bigDecimals().map(java.math.BigDecimal::toString),
            Arbitraries.bigIntegers().map(java.math.BigInteger::toString),
            Arbitraries.of("true", "false", "null", "-0", "1e400", "0.5E-3"));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<String> child = json(depth - 1);
    Arbitrary<String> array =
        Combinators.combine(child.list().ofMaxSize(3), ws)
            .as((items, w) -> "[" + w + String.join("," + w, items) + w + "]");
    Arbitrary<String> member =
        Combinators.combine(Arbitraries.strings().ofMaxLength(4).map(Json::write), ws, child)
            .as((k, w, v) -> k + w + ":" + w + v);
    Arbitrary<String> object =
        Combinators.combine(member.list().ofMaxSize(3), ws)
            .as((items, w) -> "{" + w + String.join("," + w, items) + w + "}");
    return Arbitraries.oneOf(scalar, array, object);
  }
}
