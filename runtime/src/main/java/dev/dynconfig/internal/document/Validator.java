package dev.dynconfig.internal.document;

import dev.dynconfig.AbTest;
import dev.dynconfig.BucketingVersion;
import dev.dynconfig.FeatureFlag;
import dev.dynconfig.TestVariant;
import dev.dynconfig.internal.document.FlagdFlag.VariantType;
import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.internal.json.DocumentException.Problem;
import dev.dynconfig.internal.json.Json;
import dev.dynconfig.internal.rules.Rule;
import dev.dynconfig.internal.rules.RuleCompiler;
import dev.dynconfig.internal.rules.RuleException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Validates one document tree and builds the {@link Document}. Collects every problem instead of
 * stopping at the first, so one run of {@code validate} shows the author everything to fix.
 */
final class Validator {
  static final Set<String> NATIVE_ROOT_FIELDS =
      Set.of("version", "roles", "flags", "tests", "config", "metadata", "bucketing");
  static final Set<String> FLAG_FIELDS =
      Set.of(
          "key",
          "defaultValue",
          "name",
          "description",
          "environments",
          "minRole",
          "rolloutPercentage",
          "expiresAt",
          "variant",
          "metadata",
          "targeting");
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
  private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private final String origin;
  private final boolean keepBrokenFlagdFlags;
  private final Map<String, Problem> brokenFlags = new LinkedHashMap<>();
  private final List<Problem> problems = new ArrayList<>();
  private final Map<String, Rule> rules = new HashMap<>();
  private final Map<String, Object> rawFlags = new HashMap<>();
  private final Map<String, Object> rawTests = new HashMap<>();
  private Map<String, Object> evaluators = Map.of();

  /**
   * @param keepBrokenFlagdFlags whether a flagd flag whose targeting does not compile is kept as
   *     broken ({@link Document#brokenFlags()}) rather than reported as a problem
   */
  Validator(String origin, boolean keepBrokenFlagdFlags) {
    this.origin = origin;
    this.keepBrokenFlagdFlags = keepBrokenFlagdFlags;
  }

  Document validate(Map<String, Object> root) throws DocumentException {
    Object flags = root.get("flags");
    Document.Format format = FormatDetection.of(root);

    long version = -1;
    if (root.containsKey("version")) {
      // flagd has no top-level version; accept a numeric one there, but only validate ours.
      if (format == Document.Format.NATIVE || isInteger(root.get("version"))) {
        version = version(root.get("version"));
      }
    }
    BucketingVersion bucketing = null;
    if (root.get("bucketing") != null) {
      bucketing = BucketingVersion.parse(root.get("bucketing") instanceof String b ? b : null);
      if (bucketing == null) {
        problem(
            "bucketing",
            root.get("bucketing"),
            "must be \"v1\" (the flagd Java in-process provider's legacy bucketing), \"v2\""
                + " (flagd's fractional, the default) or \"v3\" (v2 over deterministic CBOR, for"
                + " non-string values)");
      }
    }
    Map<String, Object> metadata = Map.of();
    if (root.containsKey("metadata")) {
      metadata = metadata(root.get("metadata"), "metadata");
    }

    List<String> roles = List.of();
    List<FeatureFlag> nativeFlags = List.of();
    List<FlagdFlag> flagdFlags = List.of();
    if (format == Document.Format.NATIVE) {
      for (String field : root.keySet()) {
        if (!NATIVE_ROOT_FIELDS.contains(field) && !field.startsWith("$")) {
          problem(
              field("", field),
              null,
              "is not a known field of a flag document (known: "
                  + String.join(", ", sorted(NATIVE_ROOT_FIELDS))
                  + ")");
        }
      }
      roles = roles(root.get("roles"));
      nativeFlags = nativeFlags(flags, roles);
    } else {
      evaluators = evaluators(root.get("$evaluators"));
      String schema = root.get("$schema") instanceof String s ? s : null;
      flagdFlags = flagdFlags(flags, schema);
    }
    List<AbTest> tests = root.containsKey("tests") ? tests(root.get("tests")) : List.of();
    Map<String, Map<String, Object>> config =
        root.containsKey("config") ? config(root.get("config")) : Map.of();

    if (!problems.isEmpty()) {
      throw new DocumentException(origin, problems);
    }
    return new Document(
        origin,
        format,
        version,
        roles,
        nativeFlags,
        flagdFlags,
        tests,
        config,
        evaluators,
        metadata,
        rules,
        rawFlags,
        rawTests,
        brokenFlags,
        bucketing,
        root);
  }

  // ---------------------------------------------------------------------------------------------
  // native format

  private long version(Object v) {
    if (!isInteger(v)
        || decimal((Number) v).signum() < 0
        || decimal((Number) v).compareTo(BigDecimal.valueOf(Document.MAX_VERSION)) > 0) {
      problem("version", v, "must be a whole number from 0 to 2^53 (" + Document.MAX_VERSION + ")");
      return -1;
    }
    return ((Number) v).longValue();
  }

  private List<String> roles(Object v) {
    if (v == null) {
      return List.of();
    }
    List<String> roles = stringList(v, "roles");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < roles.size(); i++) {
      if (!seen.add(roles.get(i))) {
        problem("roles[" + i + "]", roles.get(i), "is listed twice; each role has one rank");
      }
    }
    return roles;
  }

  private List<FeatureFlag> nativeFlags(Object v, List<String> roles) {
    return objectsWithIds(
        optionalArray(v, "flags", "must be an array of flags"),
        "flags",
        "key",
        "every flag needs a unique key",
        FLAG_FIELDS,
        "a flag",
        item -> nativeFlag(item, roles));
  }

  private FeatureFlag nativeFlag(Item item, List<String> roles) {
    Map<String, Object> m = item.fields();
    String path = item.path();
    String key = item.id();
    boolean defaultValue = false;
    if (m.containsKey("defaultValue")) {
      Object d = m.get("defaultValue");
      if (d instanceof Boolean b) {
        defaultValue = b;
      } else {
        problem(field(path, "defaultValue"), d, "must be true or false");
      }
    }
    String name = optionalString(m, "name", path);
    String description = optionalString(m, "description", path);
    String variant = optionalString(m, "variant", path);
    List<String> environments =
        m.get("environments") == null
            ? null
            : stringList(m.get("environments"), field(path, "environments"));
    String minRole = optionalString(m, "minRole", path);
    if (minRole != null && !roles.contains(minRole)) {
      problem(
          field(path, "minRole"),
          minRole,
          roles.isEmpty()
              ? "is not a known role: the document declares no roles"
              : "is not one of the roles " + Json.write(roles));
    }
    Double rollout = null;
    Object r = m.get("rolloutPercentage");
    if (r != null) {
      if (!(r instanceof Number n)) {
        problem(field(path, "rolloutPercentage"), r, "must be a number from 0 to 100");
      } else if (!inPercentRange(n)) {
        problem(field(path, "rolloutPercentage"), r, "is outside 0..100");
      } else {
        rollout = n.doubleValue();
      }
    }
    Instant expiresAt = instant(m.get("expiresAt"), field(path, "expiresAt"));
    Map<String, Object> metadata =
        m.get("metadata") == null ? Map.of() : object(m.get("metadata"), field(path, "metadata"));
    Object targeting = m.get("targeting");
    if (targeting != null && key != null) {
      compile(key, targeting, field(path, "targeting"));
    }
    if (!clean(item) || key == null) {
      return null;
    }
    rawFlags.put(key, m);
    return new FeatureFlag(
        key,
        defaultValue,
        name,
        description,
        environments,
        minRole,
        rollout,
        expiresAt,
        variant,
        metadata,
        targeting);
  }

  // ---------------------------------------------------------------------------------------------
  // flagd format

  private Map<String, Object> evaluators(Object v) {
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> raw)) {
      problem("$evaluators", v, "must be an object of evaluator name → rule");
      return Map.of();
    }
    Map<String, Object> m = cast(raw);
    // Compile every evaluator on its own as well, so a broken one is reported even when unused.
    // When broken flags are kept, a broken evaluator breaks only the flags that use it.
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String path = field("$evaluators", e.getKey());
      if (e.getKey().isEmpty()) {
        problem(path, e.getKey(), "must not be empty");
        continue;
      }
      if (keepBrokenFlagdFlags) {
        continue;
      }
      try {
        RuleCompiler.compile(e.getValue(), m, path);
      } catch (RuleException ex) {
        problems.add(new Problem(ex.path(), Json.render(ex.value()), ex.reason()));
      } catch (RuntimeException ex) {
        problem(path, e.getValue(), "could not be compiled: " + ex);
      }
    }
    return m;
  }

  private List<FlagdFlag> flagdFlags(Object v, String schema) {
    List<FlagdFlag> out = new ArrayList<>();
    if (v instanceof Map<?, ?> raw) {
      for (Map.Entry<String, Object> e : this.<Object>cast(raw).entrySet()) {
        String path = field("flags", e.getKey());
        if (e.getKey().isEmpty()) {
          problem(path, e.getKey(), "is not a valid flag key: keys must not be empty");
          continue;
        }
        FlagdFlag f = flagdFlag(e.getKey(), e.getValue(), path);
        if (f != null) {
          out.add(f);
        }
      }
      return out;
    }
    if (!(v instanceof List<?> list)) {
      // Detected as flagd by $evaluators or $schema: flagd's schema requires flags.
      problem(
          "flags",
          v,
          v == null
              ? "is missing: a flagd document needs an object of flag key → flag"
              : "must be an object of flag key → flag");
      return out;
    }
    if (schema != null && schema.endsWith("flags.json")) {
      problem(
          "flags",
          v,
          "must be an object of flag key → flag: the declared schema "
              + Json.write(schema)
              + " does not allow the array form (only flagd.json does)");
      return out;
    }
    // A flag whose key is missing or taken is not checked further.
    return objectsWithIds(
        list,
        "flags",
        "key",
        "every flag in the array form needs a unique key",
        null,
        null,
        item -> clean(item) ? flagdFlag(item.id(), item.fields(), item.path()) : null);
  }

  private FlagdFlag flagdFlag(String key, Object v, String path) {
    if (!(v instanceof Map<?, ?> raw)) {
      problem(path, v, "must be an object with state and variants");
      return null;
    }
    Map<String, Object> m = cast(raw);
    int before = problems.size();
    Object state = m.get("state");
    if (state == null) {
      problem(field(path, "state"), null, "is missing (ENABLED or DISABLED)");
    } else if (!"ENABLED".equals(state) && !"DISABLED".equals(state)) {
      problem(field(path, "state"), state, "must be ENABLED or DISABLED");
    }
    Map<String, Object> variants = Map.of();
    VariantType type = null;
    Object vs = m.get("variants");
    String vpath = field(path, "variants");
    if (vs == null) {
      problem(vpath, null, "is missing: a flag needs at least one variant");
    } else if (!(vs instanceof Map<?, ?> vm)) {
      problem(vpath, vs, "must be an object of variant name → value");
    } else if (vm.isEmpty()) {
      problem(vpath, vs, "must name at least one variant");
    } else {
      variants = cast(vm);
      Set<VariantType> types = new java.util.LinkedHashSet<>();
      for (Map.Entry<String, Object> e : variants.entrySet()) {
        VariantType t = VariantType.of(e.getValue());
        if (e.getKey().isEmpty()) {
          problem(field(vpath, e.getKey()), e.getKey(), "is not a valid variant name (empty)");
        }
        if (t == null) {
          problem(
              field(vpath, e.getKey()),
              e.getValue(),
              "must be a boolean, string, number or object");
        } else {
          types.add(t);
        }
      }
      if (types.size() > 1) {
        List<String> labels = new ArrayList<>();
        for (VariantType t : types) {
          labels.add(t.label());
        }
        problem(
            vpath,
            vs,
            "mixes "
                + String.join(" and ", labels)
                + " values; all variants of a flag share one type");
      } else if (types.size() == 1) {
        type = types.iterator().next();
      }
    }
    String defaultVariant = null;
    Object dv = m.get("defaultVariant");
    if (dv != null) {
      if (!(dv instanceof String s)) {
        problem(field(path, "defaultVariant"), dv, "must be a variant name or null");
      } else if (!variants.isEmpty() && !variants.containsKey(s)) {
        problem(
            field(path, "defaultVariant"),
            dv,
            "is not one of the variants " + Json.write(new ArrayList<>(variants.keySet())));
      } else {
        defaultVariant = s;
      }
    }
    Map<String, Object> metadata =
        m.get("metadata") == null ? Map.of() : metadata(m.get("metadata"), field(path, "metadata"));
    Object targeting = m.get("targeting");
    // flagd treats an empty targeting object as "no targeting".
    if (targeting instanceof Map<?, ?> tm && tm.isEmpty()) {
      targeting = null;
    }
    if (targeting != null) {
      if (keepBrokenFlagdFlags) {
        Problem broken = compileOrExplain(key, targeting, field(path, "targeting"));
        if (broken != null) {
          brokenFlags.put(key, broken);
        }
      } else {
        compile(key, targeting, field(path, "targeting"));
      }
    }
    if (problems.size() != before) {
      brokenFlags.remove(key);
      return null;
    }
    rawFlags.put(key, m);
    return new FlagdFlag(
        key, "ENABLED".equals(state), variants, defaultVariant, targeting, metadata, type);
  }

  private Map<String, Object> metadata(Object v, String path) {
    if (!(v instanceof Map<?, ?> raw)) {
      problem(path, v, "must be an object of name → string, number or boolean");
      return Map.of();
    }
    Map<String, Object> m = cast(raw);
    for (Map.Entry<String, Object> e : m.entrySet()) {
      Object x = e.getValue();
      if (!(x instanceof String || x instanceof Number || x instanceof Boolean)) {
        problem(field(path, e.getKey()), x, "must be a string, number or boolean");
      }
    }
    return m;
  }

  // ---------------------------------------------------------------------------------------------
  // tests and config (both formats)

  private List<AbTest> tests(Object v) {
    return objectsWithIds(
        optionalArray(v, "tests", "must be an array of A/B tests"),
        "tests",
        "id",
        "every test needs a unique id",
        TEST_FIELDS,
        "an A/B test",
        this::test);
  }

  private AbTest test(Item item) {
    Map<String, Object> m = item.fields();
    String path = item.path();
    String id = item.id();
    String name = optionalString(m, "name", path);
    Object status = m.get("status");
    if (status == null) {
      problem(
          field(path, "status"), null, "is missing (one of " + String.join(", ", STATUSES) + ")");
    } else if (!STATUSES.contains(status)) {
      problem(field(path, "status"), status, "must be one of " + String.join(", ", STATUSES));
    }
    List<TestVariant> variants = variants(m.get("variants"), field(path, "variants"));
    Map<String, Double> allocation =
        allocation(m.get("allocation"), field(path, "allocation"), variants);
    Instant start = instant(m.get("startDate"), field(path, "startDate"));
    Instant end = instant(m.get("endDate"), field(path, "endDate"));
    if (start != null && end != null && !end.isAfter(start)) {
      problem(
          field(path, "endDate"),
          m.get("endDate"),
          "is not after startDate " + Json.write(m.get("startDate")));
    }
    List<String> environments =
        m.get("environments") == null
            ? null
            : stringList(m.get("environments"), field(path, "environments"));
    if (!clean(item) || id == null) {
      return null;
    }
    rawTests.put(id, m);
    return new AbTest(id, name, (String) status, variants, allocation, start, end, environments);
  }

  private List<TestVariant> variants(Object v, String path) {
    if (v == null) {
      problem(path, null, "is missing: a test needs at least one variant");
      return List.of();
    }
    if (!(v instanceof List<?> list) || list.isEmpty()) {
      problem(path, v, "must be a non-empty array of variants");
      return List.of();
    }
    return objectsWithIds(
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
  private TestVariant variant(Item item) {
    Map<String, Object> m = item.fields();
    String vpath = item.path();
    String name = optionalString(m, "name", vpath);
    boolean isControl = false;
    if (m.get("isControl") != null) {
      if (m.get("isControl") instanceof Boolean b) {
        isControl = b;
      } else {
        problem(field(vpath, "isControl"), m.get("isControl"), "must be true or false");
      }
    }
    Map<String, Object> config =
        m.get("config") == null ? Map.of() : object(m.get("config"), field(vpath, "config"));
    return item.id() == null ? null : new TestVariant(item.id(), name, isControl, config);
  }

  private Map<String, Double> allocation(Object v, String path, List<TestVariant> variants) {
    if (v == null) {
      problem(path, null, "is missing: give each variant a percentage (summing to at most 100)");
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> raw)) {
      problem(path, v, "must be an object of variant id → percentage");
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
    for (Map.Entry<String, Object> e : this.<Object>cast(raw).entrySet()) {
      String apath = field(path, e.getKey());
      Object x = e.getValue();
      if (!(x instanceof Number n)) {
        problem(apath, x, "must be a number from 0 to 100");
        ok = false;
        continue;
      }
      if (!inPercentRange(n)) {
        problem(apath, x, "is outside 0..100");
        ok = false;
        continue;
      }
      if (!ids.isEmpty() && !ids.contains(e.getKey())) {
        problem(apath, x, "names no variant of this test (variants: " + Json.write(idList) + ")");
        ok = false;
        continue;
      }
      sum = sum.add(decimal(n));
      out.put(e.getKey(), n.doubleValue());
    }
    if (ok && sum.compareTo(HUNDRED) > 0) {
      problem(path, v, "sums to " + sum.stripTrailingZeros().toPlainString() + ", more than 100");
    }
    return Collections.unmodifiableMap(out);
  }

  private Map<String, Map<String, Object>> config(Object v) {
    if (!(v instanceof Map<?, ?> raw)) {
      problem("config", v, "must be an object of namespace → {key: value}");
      return Map.of();
    }
    Map<String, Map<String, Object>> out = new HashMap<>();
    for (Map.Entry<String, Object> e : this.<Object>cast(raw).entrySet()) {
      if (!(e.getValue() instanceof Map<?, ?> ns)) {
        problem(
            field("config", e.getKey()),
            e.getValue(),
            "must be an object of key → value (a namespace)");
        continue;
      }
      out.put(e.getKey(), cast(ns));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  /** One element of an array of objects with ids, as handed to the element's own checks. */
  private record Item(Map<String, Object> fields, String path, String id, int problemsBefore) {}

  /**
   * Checks what every array of objects with unique ids shares (flags, tests, variants): each
   * element is an object with only {@code known} fields (any when null), and {@code idField} is a
   * non-empty string no earlier element uses. Then {@code check} runs the element's own checks and
   * returns what to keep of it, or null to keep nothing.
   *
   * @param path the array's JSON path
   * @param idReason why the id is needed, for the "is missing" problem
   * @param noun the element in "is not a known field of ..." (e.g. "a flag")
   */
  private <T> List<T> objectsWithIds(
      List<?> list,
      String path,
      String idField,
      String idReason,
      Set<String> known,
      String noun,
      Function<Item, T> check) {
    List<T> out = new ArrayList<>();
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String ipath = path + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> raw)) {
        problem(ipath, list.get(i), "must be an object");
        continue;
      }
      Map<String, Object> m = cast(raw);
      int before = problems.size();
      if (known != null) {
        unknownFields(m, known, ipath, noun);
      }
      String id = requiredKey(m, idField, ipath, idReason);
      if (id != null) {
        Integer first = firstIndex.putIfAbsent(id, i);
        if (first != null) {
          problem(field(ipath, idField), id, "duplicates " + path + "[" + first + "]." + idField);
        }
      }
      T kept = check.apply(new Item(m, ipath, id, before));
      if (kept != null) {
        out.add(kept);
      }
    }
    return out;
  }

  /** Whether no problem has been found in the element so far (its id and fields included). */
  private boolean clean(Item item) {
    return problems.size() == item.problemsBefore();
  }

  /** The array at {@code path}; empty when absent, or (with a problem) when not an array. */
  private List<?> optionalArray(Object v, String path, String notAnArray) {
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      problem(path, v, notAnArray);
      return List.of();
    }
    return list;
  }

  private void compile(String key, Object rule, String path) {
    Problem p = compileOrExplain(key, rule, path);
    if (p != null) {
      problems.add(p);
    }
  }

  /** Compiles a flag's rule into {@link #rules}; on failure returns why instead. */
  private Problem compileOrExplain(String key, Object rule, String path) {
    try {
      rules.put(key, RuleCompiler.compile(rule, evaluators, path));
      return null;
    } catch (RuleException e) {
      return new Problem(e.path(), Json.render(e.value()), e.reason());
    } catch (RuntimeException e) {
      return new Problem(path, Json.render(rule), "could not be compiled: " + e);
    }
  }

  private String requiredKey(Map<String, Object> m, String field, String path, String why) {
    Object k = m.get(field);
    if (k == null) {
      problem(field(path, field), null, "is missing: " + why);
      return null;
    }
    if (!(k instanceof String s) || s.isEmpty()) {
      problem(field(path, field), k, "must be a non-empty string");
      return null;
    }
    return s;
  }

  private String optionalString(Map<String, Object> m, String field, String path) {
    Object v = m.get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    problem(field(path, field), v, "must be a string");
    return null;
  }

  private List<String> stringList(Object v, String path) {
    if (!(v instanceof List<?> list)) {
      problem(path, v, "must be an array of strings");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof String s && !s.isEmpty()) {
        out.add(s);
      } else {
        problem(path + "[" + i + "]", list.get(i), "must be a non-empty string");
      }
    }
    return List.copyOf(out);
  }

  private Map<String, Object> object(Object v, String path) {
    if (v instanceof Map<?, ?> m) {
      return cast(m);
    }
    problem(path, v, "must be an object");
    return Map.of();
  }

  private Instant instant(Object v, String path) {
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      try {
        return OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e) {
        try {
          return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e2) {
          // fall through to the problem below
        }
      }
    }
    problem(path, v, "is not an ISO-8601 date-time (e.g. \"2027-12-31T23:59:59Z\")");
    return null;
  }

  private void unknownFields(Map<String, Object> m, Set<String> known, String path, String what) {
    for (String k : m.keySet()) {
      if (!known.contains(k) && !k.startsWith("$")) {
        problem(
            field(path, k),
            null,
            "is not a known field of "
                + what
                + " (known: "
                + String.join(", ", sorted(known))
                + ")");
      }
    }
  }

  private static List<String> sorted(Set<String> s) {
    List<String> l = new ArrayList<>(s);
    Collections.sort(l);
    return l;
  }

  private static boolean isInteger(Object v) {
    return v instanceof Long || (v instanceof BigDecimal b && b.scale() <= 0);
  }

  private static boolean inPercentRange(Number n) {
    BigDecimal d = decimal(n);
    return d.signum() >= 0 && d.compareTo(HUNDRED) <= 0;
  }

  private static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal b) {
      return b;
    }
    if (n instanceof Long || n instanceof Integer) {
      return BigDecimal.valueOf(n.longValue());
    }
    double d = n.doubleValue();
    return Double.isFinite(d) ? BigDecimal.valueOf(d) : BigDecimal.valueOf(Long.MAX_VALUE);
  }

  /** Appends a field to a JSON path: {@code a.b}, or {@code a["odd key"]} when needed. */
  static String field(String parent, String name) {
    if (SIMPLE_NAME.matcher(name).matches()) {
      return parent.isEmpty() ? name : parent + "." + name;
    }
    return parent + "[" + Json.write(name) + "]";
  }

  private void problem(String path, Object value, String reason) {
    problems.add(new Problem(path, value == null ? null : Json.render(value), reason));
  }

  @SuppressWarnings("unchecked")
  private <T> Map<String, T> cast(Map<?, ?> m) {
    return (Map<String, T>) m;
  }
}
