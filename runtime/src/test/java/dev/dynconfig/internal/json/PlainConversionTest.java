package dev.dynconfig.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The common conversions without Jackson: each type is converted by {@link PlainConversion} itself
 * (never {@code UNSUPPORTED}), to exactly what Jackson's {@code convertValue} gives where Jackson
 * can convert it, and failures are told with Java names.
 */
class PlainConversionTest {
  enum Mode {
    EASY,
    EXPERT
  }

  /** Generic return types as a {@code @ConfigValue} method declares them. */
  @SuppressWarnings("unused")
  interface Types {
    List<Long> longs();

    List<Integer> ints();

    List<String> strings();

    Set<String> stringSet();

    Collection<Double> doubles();

    Map<String, Integer> intMap();

    Map<String, List<String>> listMap();

    Map<String, Object> objectMap();

    List<Mode> modes();

    List<? extends Number> numbers();

    String[] stringArray();

    int[] intArray();

    long[] longArray();

    Mode[] modeArray();

    List<String>[] listArray();

    List<Duration> durations();
  }

  @Test
  void commonTypes_areConvertedWithoutTheMapper_toWhatTheMapperGives() throws Exception {
    Map<String, Object> raws = new LinkedHashMap<>();
    raws.put("longs", List.of(1L, 2L, 1L << 40));
    raws.put("ints", List.of(1L, -2L));
    raws.put("strings", List.of("a", "b"));
    raws.put("stringSet", List.of("a", "b", "a"));
    raws.put("doubles", List.of(1.5, 2L));
    raws.put("intMap", Map.of("a", 1L, "b", 2L));
    raws.put("listMap", Map.of("a", List.of("x", "y")));
    raws.put("objectMap", Map.of("a", "x", "b", true, "c", 2.5));
    raws.put("modes", List.of("EASY", "EXPERT"));
    raws.put("numbers", List.of(1L, 2.5));
    raws.put("stringArray", List.of("a", "b"));
    raws.put("intArray", List.of(1L, 2L));
    raws.put("longArray", List.of(1L, 2L));
    raws.put("modeArray", List.of("EXPERT"));
    raws.put("listArray", List.of(List.of("a"), List.of()));
    for (Map.Entry<String, Object> e : raws.entrySet()) {
      Type type = Types.class.getMethod(e.getKey()).getGenericReturnType();
      Object plain = PlainConversion.convert(e.getValue(), type);
      assertThat(plain).as(e.getKey()).isNotSameAs(PlainConversion.UNSUPPORTED);
      Object mapped = JsonWriteTest.mapperConvert(e.getValue(), type);
      assertThat(plain).as(e.getKey()).usingRecursiveComparison().isEqualTo(mapped);
      assertThat(plain.getClass()).as(e.getKey()).isEqualTo(mapped.getClass());
    }
  }

  @Test
  void scalars_enums_andDurations() {
    assertThat(PlainConversion.convert(5L, int.class)).isEqualTo(5);
    assertThat(PlainConversion.convert(5L, long.class)).isEqualTo(5L);
    assertThat(PlainConversion.convert(5L, short.class)).isEqualTo((short) 5);
    assertThat(PlainConversion.convert(5L, byte.class)).isEqualTo((byte) 5);
    assertThat(PlainConversion.convert(5L, double.class)).isEqualTo(5.0);
    assertThat(PlainConversion.convert(0.5, float.class)).isEqualTo(0.5f);
    assertThat(PlainConversion.convert("12", Integer.class)).isEqualTo(12);
    assertThat(PlainConversion.convert(true, boolean.class)).isEqualTo(true);
    assertThat(PlainConversion.convert("x", String.class)).isEqualTo("x");
    assertThat(PlainConversion.convert(new BigDecimal("1.25"), Number.class))
        .isEqualTo(new BigDecimal("1.25"));
    assertThat(PlainConversion.convert("EXPERT", Mode.class)).isEqualTo(Mode.EXPERT);
    assertThat(PlainConversion.convert("PT0.25S", Duration.class))
        .isEqualTo(Duration.ofMillis(250));
    assertThat(PlainConversion.convert(List.of("PT1M", "PT2H"), durationList()))
        .isEqualTo(List.of(Duration.ofMinutes(1), Duration.ofHours(2)));
    assertThat(PlainConversion.convert(List.of(1L), List.class)).isInstanceOf(ArrayList.class);
    assertThat(PlainConversion.convert(List.of("a"), Set.class)).isInstanceOf(HashSet.class);
  }

  @Test
  void failures_nameTheValueAndTheJavaType() throws Exception {
    assertThatThrownBy(() -> PlainConversion.convert("soon", long.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"soon\" is not a long");
    assertThatThrownBy(() -> PlainConversion.convert(1L << 40, int.class))
        .hasMessage("1099511627776 is out of range for int (-2147483648 to 2147483647)");
    assertThatThrownBy(() -> PlainConversion.convert("HARD", Mode.class))
        .hasMessage(
            "\"HARD\" is not a constant of enum " + Mode.class.getName() + " [EASY, EXPERT]");
    assertThatThrownBy(() -> PlainConversion.convert("5 seconds", Duration.class))
        .hasMessageStartingWith(
            "\"5 seconds\" is not a java.time.Duration: write it as an ISO-8601")
        .hasMessageContaining("\"PT5S\"");
    assertThatThrownBy(() -> PlainConversion.convert(List.of(1L, "x"), type("longs")))
        .hasMessage("[1]: \"x\" is not a Long");
    assertThatThrownBy(() -> PlainConversion.convert(Map.of("a", List.of(1L)), type("intMap")))
        .hasMessage("'a': a list is not an Integer");
    assertThatThrownBy(() -> PlainConversion.convert(List.of("EASY", "no"), type("modeArray")))
        .hasMessageStartingWith("[1]: \"no\" is not a constant of enum");
    for (Throwable t :
        List.of(
            catchFailure("soon", long.class),
            catchFailure("HARD", Mode.class),
            catchFailure("5s", Duration.class))) {
      assertThat(t.getMessage()).doesNotContain("jackson", "Source:", "`");
    }
  }

  @Test
  void lenientCoercionsAndOtherTypes_areLeftToTheMapper() {
    assertThat(PlainConversion.convert(2.5, int.class)).isSameAs(PlainConversion.UNSUPPORTED);
    assertThat(PlainConversion.convert(5L, String.class)).isSameAs(PlainConversion.UNSUPPORTED);
    assertThat(PlainConversion.convert(Map.of("a", 1L), StringBuilder.class))
        .isSameAs(PlainConversion.UNSUPPORTED);
  }

  @Test
  void json_convert_usesThePlainConversion_andKeepsJacksonForTheRest() {
    assertThat(Json.convert(List.of(1L, 2L), type("ints"))).isEqualTo(List.of(1, 2));
    assertThatThrownBy(() -> Json.convert("HARD", Mode.class))
        .hasMessageStartingWith("\"HARD\" is not a constant of enum");
    assertThat(Json.convert(2.5, int.class)).isEqualTo(2); // Jackson's coercion, as before
  }

  private static Throwable catchFailure(Object raw, Type type) {
    try {
      PlainConversion.convert(raw, type);
    } catch (IllegalArgumentException e) {
      return e;
    }
    throw new AssertionError("no failure for " + raw);
  }

  private static Type durationList() {
    return type("durations");
  }

  private static Type type(String method) {
    try {
      Method m = Types.class.getMethod(method);
      return m.getGenericReturnType();
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }
}
