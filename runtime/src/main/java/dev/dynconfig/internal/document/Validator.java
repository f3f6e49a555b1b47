package dev.dynconfig.internal.document;

import static dev.dynconfig.internal.document.FieldChecks.cast;
import static dev.dynconfig.internal.document.FieldChecks.decimal;
import static dev.dynconfig.internal.document.FieldChecks.field;
import static dev.dynconfig.internal.document.FieldChecks.isInteger;
import static dev.dynconfig.internal.document.FieldChecks.sorted;

import dev.dynconfig.AbTest;
import dev.dynconfig.BucketingVersion;
import dev.dynconfig.FeatureFlag;
import dev.dynconfig.internal.json.DocumentException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates one document tree and builds the {@link Document}: the format and the root fields here,
 * each format's flags in {@link NativeValidator} or {@link FlagdValidator}, tests in {@link
 * AbTestValidator}. Every part records into one {@link FieldChecks}, so one run of {@code validate}
 * shows the author everything to fix.
 */
final class Validator {
  static final Set<String> NATIVE_ROOT_FIELDS =
      Set.of("version", "roles", "flags", "tests", "config", "metadata", "bucketing");

  private final String origin;
  private final FieldChecks checks = new FieldChecks();
  private final TargetingRules targeting = new TargetingRules(checks);
  private final Map<String, Object> rawFlags = new HashMap<>();
  private final Map<String, Object> rawTests = new HashMap<>();
  private final NativeValidator nativeFormat = new NativeValidator(checks, targeting, rawFlags);
  private final FlagdValidator flagdFormat;

  /**
   * @param keepBrokenFlagdFlags whether a flagd flag whose targeting does not compile is kept as
   *     broken ({@link Document#brokenFlags()}) rather than reported as a problem
   */
  Validator(String origin, boolean keepBrokenFlagdFlags) {
    this.origin = origin;
    this.flagdFormat = new FlagdValidator(checks, targeting, rawFlags, keepBrokenFlagdFlags);
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
        checks.problem(
            "bucketing",
            root.get("bucketing"),
            "must be \"v1\" (the flagd Java in-process provider's legacy bucketing), \"v2\""
                + " (flagd's fractional, the default) or \"v3\" (v2 over deterministic CBOR, for"
                + " non-string values)");
      }
    }
    Map<String, Object> evaluators = Map.of();
    Map<String, Object> metadata = Map.of();
    if (root.containsKey("metadata")) {
      metadata = checks.metadata(root.get("metadata"), "metadata");
    }

    List<String> roles = List.of();
    List<FeatureFlag> nativeFlags = List.of();
    List<FlagdFlag> flagdFlags = List.of();
    if (format == Document.Format.NATIVE) {
      for (String field : root.keySet()) {
        if (!NATIVE_ROOT_FIELDS.contains(field) && !field.startsWith("$")) {
          checks.problem(
              field("", field),
              null,
              "is not a known field of a flag document (known: "
                  + String.join(", ", sorted(NATIVE_ROOT_FIELDS))
                  + ")");
        }
      }
      roles = nativeFormat.roles(root.get("roles"));
      nativeFlags = nativeFormat.flags(flags, roles);
    } else {
      evaluators = flagdFormat.evaluators(root.get("$evaluators"));
      targeting.useEvaluators(evaluators);
      String schema = root.get("$schema") instanceof String s ? s : null;
      flagdFlags = flagdFormat.flags(flags, schema);
    }
    List<AbTest> tests =
        root.containsKey("tests")
            ? new AbTestValidator(checks, rawTests).tests(root.get("tests"))
            : List.of();
    Map<String, Map<String, Object>> config =
        root.containsKey("config") ? config(root.get("config")) : Map.of();

    if (checks.count() > 0) {
      throw new DocumentException(origin, checks.problems());
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
        targeting.rules(),
        rawFlags,
        rawTests,
        flagdFormat.brokenFlags(),
        bucketing,
        root);
  }

  private long version(Object v) {
    if (!isInteger(v)
        || decimal((Number) v).signum() < 0
        || decimal((Number) v).compareTo(BigDecimal.valueOf(Document.MAX_VERSION)) > 0) {
      checks.problem(
          "version", v, "must be a whole number from 0 to 2^53 (" + Document.MAX_VERSION + ")");
      return -1;
    }
    return ((Number) v).longValue();
  }

  private Map<String, Map<String, Object>> config(Object v) {
    if (!(v instanceof Map<?, ?> raw)) {
      checks.problem("config", v, "must be an object of namespace → {key: value}");
      return Map.of();
    }
    Map<String, Map<String, Object>> out = new HashMap<>();
    for (Map.Entry<String, Object> e : FieldChecks.<Object>cast(raw).entrySet()) {
      if (!(e.getValue() instanceof Map<?, ?> ns)) {
        checks.problem(
            field("config", e.getKey()),
            e.getValue(),
            "must be an object of key → value (a namespace)");
        continue;
      }
      out.put(e.getKey(), cast(ns));
    }
    return out;
  }
}
