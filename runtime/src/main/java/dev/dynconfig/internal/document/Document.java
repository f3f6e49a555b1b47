package dev.dynconfig.internal.document;

import dev.dynconfig.AbTest;
import dev.dynconfig.BucketingVersion;
import dev.dynconfig.FeatureFlag;
import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.internal.rules.Rule;
import java.util.List;
import java.util.Map;

/**
 * A validated, immutable flag document (native or flagd), with its targeting rules already
 * compiled. Produced only by {@link DocumentParser}; every accessor returns unmodifiable values. A
 * document read for serving ({@link DocumentParser#load}) may hold broken flagd flags: see {@link
 * #brokenFlags()}.
 */
public final class Document {
  /** The two document formats. */
  public enum Format {
    /** dynconfig's own format: {@code flags} is an array of boolean flags; tests and config. */
    NATIVE,
    /** OpenFeature flagd's format: {@code flags} maps keys to typed-variant flags. */
    FLAGD
  }

  /**
   * The highest version a document, a server or a client accepts: 2^53, so that every JSON client
   * (JavaScript included) reads it exactly, and far above what any real history reaches.
   */
  public static final long MAX_VERSION = 1L << 53;

  private final String origin;
  private final Format format;
  private final long version;
  private final List<String> roles;
  private final List<FeatureFlag> flags;
  private final List<FlagdFlag> flagdFlags;
  private final List<AbTest> tests;
  private final Map<String, Map<String, Object>> config;
  private final Map<String, Object> evaluators;
  private final Map<String, Object> metadata;
  private final Map<String, Rule> rules;
  private final Map<String, Object> rawFlags;
  private final Map<String, Object> rawTests;
  private final Map<String, DocumentException.Problem> brokenFlags;
  private final Map<String, Object> raw;
  private final BucketingVersion bucketing;

  Document(
      String origin,
      Format format,
      long version,
      List<String> roles,
      List<FeatureFlag> flags,
      List<FlagdFlag> flagdFlags,
      List<AbTest> tests,
      Map<String, Map<String, Object>> config,
      Map<String, Object> evaluators,
      Map<String, Object> metadata,
      Map<String, Rule> rules,
      Map<String, Object> rawFlags,
      Map<String, Object> rawTests,
      Map<String, DocumentException.Problem> brokenFlags,
      BucketingVersion bucketing,
      Map<String, Object> raw) {
    this.origin = origin;
    this.format = format;
    this.version = version;
    this.roles = List.copyOf(roles);
    this.flags = List.copyOf(flags);
    this.flagdFlags = List.copyOf(flagdFlags);
    this.tests = List.copyOf(tests);
    this.config = Map.copyOf(config);
    this.evaluators = evaluators;
    this.metadata = metadata;
    this.rules = Map.copyOf(rules);
    this.rawFlags = Map.copyOf(rawFlags);
    this.rawTests = Map.copyOf(rawTests);
    this.brokenFlags =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(brokenFlags));
    this.bucketing = bucketing;
    this.raw = raw;
  }

  /** Where the document came from (file name or URL), as given to the parser. */
  public String origin() {
    return origin;
  }

  public Format format() {
    return format;
  }

  /** The document's {@code version}, or -1 when it has none (flagd files). */
  public long version() {
    return version;
  }

  /** Roles from lowest to highest rank (native {@code roles}); empty when none. */
  public List<String> roles() {
    return roles;
  }

  /** Native boolean flags, in document order (empty for flagd documents). */
  public List<FeatureFlag> flags() {
    return flags;
  }

  /** flagd flags, in document order (empty for native documents). */
  public List<FlagdFlag> flagdFlags() {
    return flagdFlags;
  }

  /** A/B tests, in document order. */
  public List<AbTest> tests() {
    return tests;
  }

  /** Runtime configuration: namespace → key → JSON value. */
  public Map<String, Map<String, Object>> config() {
    return config;
  }

  /**
   * The document's top-level {@code "bucketing"} ({@code "v1"} or {@code "v2"}), or null when it
   * does not choose (the engine's option applies).
   */
  public BucketingVersion bucketing() {
    return bucketing;
  }

  /** flagd's {@code $evaluators} (name → rule); empty when none. */
  public Map<String, Object> evaluators() {
    return evaluators;
  }

  /** flagd's flag-set {@code metadata}; empty when none. */
  public Map<String, Object> metadata() {
    return metadata;
  }

  /**
   * flagd flags whose targeting does not compile, by key, in document order, with the problem (JSON
   * path, value, reason). Only {@link DocumentParser#load} keeps such flags (they are evaluated as
   * {@code PARSE_ERROR}); {@link DocumentParser#parse} rejects the document instead, so there this
   * is always empty.
   */
  public Map<String, DocumentException.Problem> brokenFlags() {
    return brokenFlags;
  }

  /** The compiled targeting rule of a flag, or null when the flag has none (or it is broken). */
  public Rule rule(String flagKey) {
    return rules.get(flagKey);
  }

  /** A flag's definition exactly as written in the document (plain JSON values), or null. */
  public Object rawFlag(String flagKey) {
    return rawFlags.get(flagKey);
  }

  /** A test's definition exactly as written in the document (plain JSON values), or null. */
  public Object rawTest(String testId) {
    return rawTests.get(testId);
  }

  /** The whole document as plain JSON values. */
  public Map<String, Object> raw() {
    return raw;
  }

  /** Number of flags of either format. */
  public int flagCount() {
    return flags.size() + flagdFlags.size();
  }

  @Override
  public String toString() {
    return origin
        + ": "
        + format.name().toLowerCase(java.util.Locale.ROOT)
        + " document"
        + (version >= 0 ? " version " + version : "")
        + ", "
        + plural(flagCount(), "flag")
        + (brokenFlags.isEmpty() ? "" : " (" + brokenFlags.size() + " broken)")
        + ", "
        + plural(tests.size(), "test")
        + ", "
        + plural(config.size(), "config namespace");
  }

  private static String plural(int n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
