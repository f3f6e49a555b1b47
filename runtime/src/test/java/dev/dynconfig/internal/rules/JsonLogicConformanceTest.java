package dev.dynconfig.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The official JsonLogic suite (jsonlogic.com/tests.json), read from the conformance folder. */
class JsonLogicConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicTest> officialSuite_everyCasePasses() throws Exception {
    String dir = System.getProperty("dynconfig.conformance.dir");
    Assumptions.assumeTrue(dir != null, "system property dynconfig.conformance.dir is not set");
    Path file = Path.of(dir, "jsonlogic", "tests.json");
    Assumptions.assumeTrue(
        Files.isRegularFile(file), "JsonLogic suite not found at " + file.toAbsolutePath());
    List<?> entries = JSON.readValue(file.toFile(), List.class);
    List<DynamicTest> tests = new ArrayList<>();
    String section = "";
    int n = 0;
    for (Object entry : entries) {
      if (entry instanceof String) {
        section = (String) entry;
        continue;
      }
      List<?> c = (List<?>) entry;
      Object rule = c.get(0);
      Object data = c.get(1);
      Object expected = c.get(2);
      String name =
          String.format(
              "#%03d %s: %s with %s",
              ++n, section, JSON.writeValueAsString(rule), JSON.writeValueAsString(data));
      tests.add(
          dynamicTest(
              name,
              () -> {
                Rule compiled = RuleCompiler.compile(rule, Map.of(), "tests[" + name + "]");
                Object actual = compiled.evaluate(new MapData(data));
                assertThat(jsonEquals(actual, expected))
                    .as("expected %s but got %s", render(expected), render(actual))
                    .isTrue();
              }));
    }
    assertThat(tests).hasSizeGreaterThan(250);
    return tests.stream();
  }

  private static String render(Object v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (Exception e) {
      return String.valueOf(v);
    }
  }

  /** JSON equality: numbers by value (1 == 1.0), arrays element-wise, objects entry-wise. */
  static boolean jsonEquals(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    if (a instanceof List && b instanceof List) {
      List<?> x = (List<?>) a;
      List<?> y = (List<?>) b;
      if (x.size() != y.size()) {
        return false;
      }
      Iterator<?> i = x.iterator();
      Iterator<?> j = y.iterator();
      while (i.hasNext()) {
        if (!jsonEquals(i.next(), j.next())) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map && b instanceof Map) {
      Map<?, ?> x = (Map<?, ?>) a;
      Map<?, ?> y = (Map<?, ?>) b;
      if (!x.keySet().equals(y.keySet())) {
        return false;
      }
      for (Object k : x.keySet()) {
        if (!jsonEquals(x.get(k), y.get(k))) {
          return false;
        }
      }
      return true;
    }
    return a == null ? b == null : a.equals(b);
  }
}
