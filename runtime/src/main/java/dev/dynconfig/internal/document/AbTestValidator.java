package dev.dynconfig.internal.document;

import static dev.dynconfig.internal.document.FieldChecks.decimal;
import static dev.dynconfig.internal.document.FieldChecks.field;
import static dev.dynconfig.internal.document.FieldChecks.inPercentRange;

import dev.dynconfig.AbTest;
import dev.dynconfig.TestVariant;
import dev.dynconfig.internal.json.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code tests} array (A/B tests, their variants and allocation), alike in both formats. */
final class AbTestValidator {
  static final Set<String> TEST_FIELDS =
      Set.of(
          "id",
          "name",
          "description",
          "status",
          "variants",
          "allocation",
          "startDate",
          "endDate",
          "environments",
          "metadata");
  static final Set<String> VARIANT_FIELDS =
      Set.of("id", "name", "description", "isControl", "config");
  static final List<String> STATUSES = List.of("draft", "running", "paused", "completed");
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private final FieldChecks checks;
  private final Map<String, Object> rawTests;

  AbTestValidator(FieldChecks checks, Map<String, Object> rawTests) {
    this.checks = checks;
    this.rawTests = rawTests;
  }

  List<AbTest> tests(Object v) {
    return checks.objectsWithIds(
        checks.optionalArray(v, "tests", "must be an array of A/B tests"),
        "tests",
        "id",
        "every test needs a unique id",
        TEST_FIELDS,
        "an A/B test",
        this::test);
  }

  private AbTest test(FieldChecks.Item item) {
    Map<String, Object> m = item.fields();
    String path = item.path();
    String id = item.id();
    String name = checks.optionalString(m, "name", path);
    Object status = m.get("status");
    if (status == null) {
      checks.problem(
          field(path, "status"), null, "is missing (one of " + String.join(", ", STATUSES) + ")");
    } else if (!STATUSES.contains(status)) {
      checks.problem(
          field(path, "status"), status, "must be one of " + String.join(", ", STATUSES));
    }
    List<TestVariant> variants = variants(m.get("variants"), field(path, "variants"));
    Map<String, Double> allocation =
        allocation(m.get("allocation"), field(path, "allocation"), variants);
    Instant start = checks.instant(m.get("startDate"), field(path, "startDate"));
    Instant end = checks.instant(m.get("endDate"), field(path, "endDate"));
    if (start != null && end != null && !end.isAfter(start)) {
      checks.problem(
          field(path, "endDate"),
          m.get("endDate"),
          "is not after startDate " + Json.write(m.get("startDate")));
    }
    List<String> environments =
        m.get("environments") == null
            ? null
            : checks.stringList(m.get("environments"), field(path, "environments"));
    if (!checks.clean(item) || id == null) {
      return null;
    }
    rawTests.put(id, m);
    return new AbTest(id, name, (String) status, variants, allocation, start, end, environments);
  }

  private List<TestVariant> variants(Object v, String path) {
    if (v == null) {
      checks.problem(path, null, "is missing: a test needs at least one variant");
      return List.of();
    }
    if (!(v instanceof List<?> list) || list.isEmpty()) {
      checks.problem(path, v, "must be a non-empty array of variants");
      return List.of();
    }
    return checks.objectsWithIds(
        list,
        path,
        "id",
        "every variant needs an id unique in its test",
        VARIANT_FIELDS,
        "a test variant",
        this::variant);
  }

  /**
   * Keeps every variant with an id, even a faulty one (its test is rejected anyway), so that the
   * allocation is checked against all the ids the author wrote.
   */
  private TestVariant variant(FieldChecks.Item item) {
    Map<String, Object> m = item.fields();
    String vpath = item.path();
    String name = checks.optionalString(m, "name", vpath);
    boolean isControl = false;
    if (m.get("isControl") != null) {
      if (m.get("isControl") instanceof Boolean b) {
        isControl = b;
      } else {
        checks.problem(field(vpath, "isControl"), m.get("isControl"), "must be true or false");
      }
    }
    Map<String, Object> config =
        m.get("config") == null ? Map.of() : checks.object(m.get("config"), field(vpath, "config"));
    return item.id() == null ? null : new TestVariant(item.id(), name, isControl, config);
  }

  private Map<String, Double> allocation(Object v, String path, List<TestVariant> variants) {
    if (v == null) {
      checks.problem(
          path, null, "is missing: give each variant a percentage (summing to at most 100)");
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> raw)) {
      checks.problem(path, v, "must be an object of variant id → percentage");
      return Map.of();
    }
    Set<String> ids = new HashSet<>();
    List<String> idList = new ArrayList<>();
    for (TestVariant tv : variants) {
      ids.add(tv.id());
      idList.add(tv.id());
    }
    Map<String, Double> out = new LinkedHashMap<>();
    BigDecimal sum = BigDecimal.ZERO;
    boolean ok = true;
    for (Map.Entry<String, Object> e : FieldChecks.<Object>cast(raw).entrySet()) {
      String apath = field(path, e.getKey());
      Object x = e.getValue();
      if (!(x instanceof Number n)) {
        checks.problem(apath, x, "must be a number from 0 to 100");
        ok = false;
        continue;
      }
      if (!inPercentRange(n)) {
        checks.problem(apath, x, "is outside 0..100");
        ok = false;
        continue;
      }
      if (!ids.isEmpty() && !ids.contains(e.getKey())) {
        checks.problem(
            apath, x, "names no variant of this test (variants: " + Json.write(idList) + ")");
        ok = false;
        continue;
      }
      sum = sum.add(decimal(n));
      out.put(e.getKey(), n.doubleValue());
    }
    if (ok && sum.compareTo(HUNDRED) > 0) {
      checks.problem(
          path, v, "sums to " + sum.stripTrailingZeros().toPlainString() + ", more than 100");
    }
    return Collections.unmodifiableMap(out);
  }
}
