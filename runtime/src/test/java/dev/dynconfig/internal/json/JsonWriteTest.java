package dev.dynconfig.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Json#write} and {@link Json#convert} answer plain values without databind (so it stays off
 * the start-up path); these tests hold them to the databind mapper's exact output.
 */
class JsonWriteTest {

  static String mapperWrite(Object value) {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  @Property(tries = 400)
  void write_isTheMappersText_forPlainValues(@ForAll("plainValues") Object value) {
    assertThat(Json.write(value)).isEqualTo(mapperWrite(value));
  }

  @Property(tries = 300)
  void write_escapesStringsAsTheMapperDoes(@ForAll("anyStrings") String s) {
    assertThat(Json.write(s)).isEqualTo(mapperWrite(s));
    assertThat(Json.write(Map.of(s, s))).isEqualTo(mapperWrite(Map.of(s, s)));
  }

  @org.junit.jupiter.api.Test
  void write_escapesEveryControlCharacterAsTheMapperDoes() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      all.append(c);
    }
    all.append("\u00e9\u2028\u2029\ud83d\ude00\ud800\u007f");
    assertThat(Json.write(all.toString())).isEqualTo(mapperWrite(all.toString()));
  }

  @org.junit.jupiter.api.Test
  void write_numbers_asTheMapperWritesThem() {
    List<Object> numbers =
        List.of(
            0L,
            -1L,
            Long.MIN_VALUE,
            Long.MAX_VALUE,
            7,
            (short) 3,
            (byte) -4,
            0.1,
            -0.0,
            1e300,
            1e-300,
            123456789.125,
            Double.MIN_VALUE,
            1.5f,
            new BigDecimal("1E+400"),
            new BigDecimal("0.000000001"),
            new BigDecimal("12.3400"),
            new BigInteger("123456789012345678901234567890"));
    for (Object n : numbers) {
      assertThat(Json.write(n)).as("%s (%s)", n, n.getClass()).isEqualTo(mapperWrite(n));
    }
    assertThat(Json.write(numbers)).isEqualTo(mapperWrite(numbers));
  }

  record Item(String name, int count) {}

  @org.junit.jupiter.api.Test
  void write_leavesEverythingElseToTheMapper() {
    Map<Object, Object> intKeys = new LinkedHashMap<>();
    intKeys.put(1, "a");
    Map<String, Object> nullValue = new HashMap<>();
    nullValue.put("k", null);
    Map<Object, Object> nullKey = new HashMap<>();
    nullKey.put(null, "x");
    List<Object> others =
        Arrays.asList(
            new Item("a", 2),
            List.of(new Item("b", 3)),
            Double.NaN,
            Float.POSITIVE_INFINITY,
            Map.of("x", Double.NEGATIVE_INFINITY),
            intKeys,
            nullKey,
            nullValue,
            'c',
            new java.util.concurrent.atomic.AtomicLong(5),
            new String[] {"a", "b"},
            java.util.Set.of("s"),
            java.util.Optional.of(1));
    for (Object o : others) {
      assertThat(Json.write(o)).as("%s", o).isEqualTo(mapperWrite(o));
    }
  }

  @org.junit.jupiter.api.Test
  void write_deepNesting_isTheMappersResult() {
    Object deep = "x";
    for (int i = 0; i < 1200; i++) {
      deep = List.of(deep);
    }
    assertThat(Json.write(deep)).isEqualTo(mapperWrite(deep));
  }

  static Stream<Path> conformanceFiles() throws java.io.IOException {
    Path root = Path.of(System.getProperty("dynconfig.conformance.dir", "../shared/conformance"));
    if (!Files.isDirectory(root)) {
      return Stream.of(Path.of("<conformance data absent>"));
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conformanceFiles")
  void write_isTheMappersText_forEveryConformanceDocument(Path file) throws Exception {
    assumeTrue(Files.isRegularFile(file), "conformance data not found: " + file);
    Object tree;
    try {
      tree = Json.read(Files.readAllBytes(file), file.toString());
    } catch (DocumentException e) {
      return; // malformed on purpose; nothing to write
    }
    assertThat(Json.write(tree)).isEqualTo(mapperWrite(tree));
  }

  // --- convert ---------------------------------------------------------------------------------

  /** {@link Json#convert} as it was before its mapper-free shortcut: everything via databind. */
  static Object mapperConvert(Object raw, Type type) {
    var javaType = Json.mapper().getTypeFactory().constructType(type);
    Class<?> target = box(javaType.getRawClass());
    if (target.isInstance(raw) && !javaType.isContainerType()) {
      return raw;
    }
    Object value = Json.mapper().convertValue(raw, javaType);
    if (value == null || !target.isInstance(value)) {
      throw new IllegalArgumentException("converted to " + value);
    }
    return value;
  }

  @org.junit.jupiter.api.Test
  void convert_givesTheMappersValue_forEveryPlainValueAndCommonTarget() {
    List<Object> raws =
        List.of(
            0L,
            5L,
            -7L,
            (long) Integer.MAX_VALUE,
            (long) Integer.MIN_VALUE,
            1L << 53,
            Long.MAX_VALUE,
            2.5,
            "text",
            "12",
            true,
            new BigDecimal("1E+400"),
            List.of(1L, 2L),
            Map.of("a", 1L));
    List<Class<?>> types =
        List.of(
            int.class,
            Integer.class,
            long.class,
            Long.class,
            double.class,
            Double.class,
            Object.class,
            Number.class,
            String.class,
            CharSequence.class,
            boolean.class,
            Comparable.class,
            List.class,
            Map.class,
            Iterable.class,
            java.util.Collection.class);
    for (Object raw : raws) {
      for (Class<?> type : types) {
        Object expected;
        try {
          expected = mapperConvert(raw, type);
        } catch (IllegalArgumentException e) {
          assertThatThrownBy(() -> Json.convert(raw, type))
              .as("%s -> %s", raw, type)
              .isInstanceOf(IllegalArgumentException.class);
          continue;
        }
        Object actual = Json.convert(raw, type);
        assertThat(actual).as("%s -> %s", raw, type).isEqualTo(expected);
        assertThat(actual.getClass()).as("%s -> %s", raw, type).isEqualTo(expected.getClass());
      }
    }
  }

  @org.junit.jupiter.api.Test
  void convert_outOfRangeIntegerToInt_isRejected() {
    assertThatThrownBy(() -> Json.convert(1L << 40, int.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Class<?> box(Class<?> c) {
    if (c == void.class) {
      return Void.class;
    }
    if (c == int.class) {
      return Integer.class;
    }
    if (c == long.class) {
      return Long.class;
    }
    if (c == double.class) {
      return Double.class;
    }
    if (c == boolean.class) {
      return Boolean.class;
    }
    return c;
  }

  // --- generators ------------------------------------------------------------------------------

  @Provide
  Arbitrary<String> anyStrings() {
    return Arbitraries.strings().all().ofMaxLength(40);
  }

  @Provide
  Arbitrary<Object> plainValues() {
    return plain(3);
  }

  /** Plain trees at most {@code depth} containers deep (bounded, so trees stay small). */
  private Arbitrary<Object> plain(int depth) {
    if (depth == 0) {
      return scalar();
    }
    Arbitrary<Object> child = plain(depth - 1);
    return Arbitraries.oneOf(
        scalar(),
        child.list().ofMaxSize(3).map(l -> (Object) l),
        Arbitraries.maps(anyStrings(), child)
            .ofMaxSize(3)
            .map(m -> (Object) new LinkedHashMap<>(m)));
  }

  private Arbitrary<Object> scalar() {
    return Arbitraries.oneOf(
        anyStrings().map(s -> (Object) s),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.bigDecimals().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(null),
        Arbitraries.longs().map(l -> (Object) new ArrayList<>(List.of(l))));
  }
}
