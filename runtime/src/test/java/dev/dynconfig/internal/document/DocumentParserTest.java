package dev.dynconfig.internal.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynconfig.AbTest;
import dev.dynconfig.FeatureFlag;
import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.internal.json.DocumentException.Problem;
import dev.dynconfig.internal.json.Json;
import dev.dynconfig.testing.Examples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentParserTest {

  static final String NATIVE = Examples.ISSUE_2;

  static Document parse(String text) throws DocumentException {
    return DocumentParser.parse(text.getBytes(StandardCharsets.UTF_8), "flags.json");
  }

  static List<String> problems(String text) {
    try {
      parse(text);
    } catch (DocumentException e) {
      assertThat(e.origin()).isEqualTo("flags.json");
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("document was accepted but should have been rejected");
  }

  /** A native document with one flag whose fields are {@code flagFields}. */
  static String nativeFlag(String flagFields) {
    return "{\"roles\":[\"viewer\",\"user\",\"admin\"],\"flags\":[{\"key\":\"f\","
        + flagFields
        + "}]}";
  }

  static String nativeTest(String testFields) {
    return "{\"tests\":[{\"id\":\"t\",\"status\":\"running\","
        + "\"variants\":[{\"id\":\"a\"},{\"id\":\"b\"}],"
        + testFields
        + "}]}";
  }

  @Test
  void nativeDocument_isReadCompletely() throws Exception {
    Document d = parse(NATIVE);

    assertThat(d.format()).isEqualTo(Document.Format.NATIVE);
    assertThat(d.version()).isEqualTo(7);
    assertThat(d.roles()).containsExactly("viewer", "user", "admin");
    FeatureFlag f = d.flags().get(0);
    assertThat(f.key()).isEqualTo("new-dashboard");
    assertThat(f.environments()).containsExactly("staging", "production");
    assertThat(f.minRole()).isEqualTo("user");
    assertThat(f.rolloutPercentage()).isEqualTo(25.0);
    assertThat(f.expiresAt()).isEqualTo(Instant.parse("2027-12-31T23:59:59Z"));
    assertThat(f.variant()).isEqualTo("v2");
    assertThat(f.metadata()).containsEntry("owner", "web");
    AbTest t = d.tests().get(0);
    assertThat(t.variants())
        .extracting(v -> v.id())
        .containsExactly("control", "variant-a", "variant-b");
    assertThat(t.variants().get(0).isControl()).isTrue();
    assertThat(t.variants().get(1).config()).containsEntry("steps", 2L);
    assertThat(t.allocation()).containsEntry("variant-b", 34.0);
    assertThat(t.startDate()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(d.config().get("checkout")).containsEntry("timeoutMs", 1500L);
    assertThat(d.rawFlag("new-dashboard")).isInstanceOf(Map.class);
    assertThat(d.toString())
        .isEqualTo("flags.json: native document version 7, 1 flag, 1 test, 2 config namespaces");
  }

  @Test
  void yamlDocument_isReadLikeJson() throws Exception {
    Document d =
        parse(
            """
            version: 3
            flags:
              - key: audit-log
                defaultValue: true
            config:
              ui: {theme: light}
            """);
    assertThat(d.version()).isEqualTo(3);
    assertThat(d.flags().get(0).defaultValue()).isTrue();
    assertThat(d.config().get("ui")).containsEntry("theme", "light");
  }

  @Test
  void parsedValues_areImmutable() throws Exception {
    Document d = parse(NATIVE);
    Map<String, Object> ui = d.config().get("ui");
    assertThatThrownBy(() -> ui.put("theme", "light"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  // ---- validation rules: each message names path, value and reason ----

  @Test
  void rolloutOutsideRange_isRejectedWithPathAndValue() {
    assertThat(problems(nativeFlag("\"rolloutPercentage\": 140")))
        .containsExactly("flags[0].rolloutPercentage: 140 is outside 0..100");
    assertThat(problems(nativeFlag("\"rolloutPercentage\": -0.5")))
        .containsExactly("flags[0].rolloutPercentage: -0.5 is outside 0..100");
  }

  @Test
  void duplicateFlagKeys_areRejected() {
    assertThat(problems("{\"flags\":[{\"key\":\"a\"},{\"key\":\"b\"},{\"key\":\"a\"}]}"))
        .containsExactly("flags[2].key: \"a\" duplicates flags[0].key");
  }

  @Test
  void missingFlagKey_isRejected() {
    assertThat(problems("{\"flags\":[{\"defaultValue\":true}]}"))
        .containsExactly("flags[0].key: is missing: every flag needs a unique key");
  }

  @Test
  void unknownMinRole_isRejected() {
    assertThat(problems(nativeFlag("\"minRole\": \"superuser\"")))
        .containsExactly(
            "flags[0].minRole: \"superuser\" is not one of the roles [\"viewer\",\"user\",\"admin\"]");
  }

  @Test
  void malformedDate_isRejected() {
    assertThat(problems(nativeFlag("\"expiresAt\": \"2027-13-01T00:00:00Z\"")))
        .containsExactly(
            "flags[0].expiresAt: \"2027-13-01T00:00:00Z\" is not an ISO-8601 date-time"
                + " (e.g. \"2027-12-31T23:59:59Z\")");
  }

  @Test
  void wrongTypes_areRejected() {
    assertThat(problems(nativeFlag("\"defaultValue\": \"yes\", \"environments\": \"prod\"")))
        .containsExactly(
            "flags[0].defaultValue: \"yes\" must be true or false",
            "flags[0].environments: \"prod\" must be an array of strings");
  }

  @Test
  void unknownFlagField_isRejectedToCatchTypos() {
    assertThat(problems(nativeFlag("\"rollout\": 10")))
        .singleElement()
        .asString()
        .startsWith("flags[0].rollout: is not a known field of a flag (known: defaultValue,");
  }

  @Test
  void allProblems_areReportedTogether() {
    assertThat(
            problems(
                "{\"flags\":[{\"key\":\"a\",\"rolloutPercentage\":101},"
                    + "{\"key\":\"a\",\"expiresAt\":\"soon\"}]}"))
        .hasSize(3);
  }

  @Test
  void duplicateTestIds_areRejected() {
    String variants =
        "\"status\":\"running\",\"variants\":[{\"id\":\"a\"}],\"allocation\":{\"a\":10}";
    assertThat(
            problems(
                "{\"tests\":[{\"id\":\"t\"," + variants + "},{\"id\":\"t\"," + variants + "}]}"))
        .containsExactly("tests[1].id: \"t\" duplicates tests[0].id");
  }

  @Test
  void allocationOver100_isRejected() {
    assertThat(problems(nativeTest("\"allocation\":{\"a\":50,\"b\":50.5}")))
        .containsExactly("tests[0].allocation: {\"a\":50,\"b\":50.5} sums to 100.5, more than 100");
  }

  @Test
  void allocationOfExactly100_withDecimals_isAccepted() throws Exception {
    String doc =
        "{\"tests\":[{\"id\":\"t\",\"status\":\"running\",\"variants\":[{\"id\":\"a\"},{\"id\":\"b\"},"
            + "{\"id\":\"c\"}],\"allocation\":{\"a\":33.3,\"b\":33.3,\"c\":33.4}}]}";
    assertThat(parse(doc).tests()).hasSize(1);
  }

  @Test
  void allocationNamingUnknownVariant_isRejected() {
    assertThat(problems(nativeTest("\"allocation\":{\"a\":50,\"ghost\":10}")))
        .containsExactly(
            "tests[0].allocation.ghost: 10 names no variant of this test (variants: [\"a\",\"b\"])");
  }

  @Test
  void invalidTestStatusAndWindow_areRejected() {
    String doc =
        "{\"tests\":[{\"id\":\"t\",\"status\":\"live\",\"variants\":[{\"id\":\"a\"}],"
            + "\"allocation\":{\"a\":10},\"startDate\":\"2026-02-01T00:00:00Z\","
            + "\"endDate\":\"2026-01-01T00:00:00Z\"}]}";
    assertThat(problems(doc))
        .containsExactly(
            "tests[0].status: \"live\" must be one of draft, running, paused, completed",
            "tests[0].endDate: \"2026-01-01T00:00:00Z\" is not after startDate"
                + " \"2026-02-01T00:00:00Z\"");
  }

  @Test
  void duplicateVariantIds_areRejected() {
    String doc =
        "{\"tests\":[{\"id\":\"t\",\"status\":\"running\",\"variants\":[{\"id\":\"a\"},{\"id\":\"a\"}],"
            + "\"allocation\":{\"a\":10}}]}";
    assertThat(problems(doc))
        .containsExactly("tests[0].variants[1].id: \"a\" duplicates tests[0].variants[0].id");
  }

  @Test
  void configNamespaceThatIsNotAnObject_isRejected() {
    assertThat(problems("{\"config\":{\"ui\":\"dark\"}}"))
        .containsExactly("config.ui: \"dark\" must be an object of key → value (a namespace)");
  }

  @Test
  void negativeVersion_isRejected() {
    assertThat(problems("{\"version\":-3,\"flags\":[]}"))
        .containsExactly("version: -3 must be a whole number from 0 to 2^53 (9007199254740992)");
  }

  @Test
  void versionAbove2Pow53_isRejected_soEveryJsonClientReadsVersionsExactly() throws Exception {
    assertThat(problems("{\"version\":9007199254740993,\"flags\":[]}"))
        .containsExactly(
            "version: 9007199254740993 must be a whole number from 0 to 2^53 (9007199254740992)");
    assertThat(problems("{\"version\":9223372036854775807,\"flags\":[]}")).hasSize(1);
    assertThat(parse("{\"version\":9007199254740992,\"flags\":[]}").version())
        .isEqualTo(Document.MAX_VERSION);
  }

  // ---- flagd format ----

  @Test
  void flagdDocument_isDetectedAndTyped() throws Exception {
    Document d =
        parse(
            """
            {"flags": {
              "color": {"state": "ENABLED", "variants": {"red": "#f00", "blue": "#00f"},
                        "defaultVariant": "red", "metadata": {"owner": "ui", "prio": 1}},
              "off":   {"state": "DISABLED", "variants": {"on": true, "off": false}}
            }}
            """);
    assertThat(d.format()).isEqualTo(Document.Format.FLAGD);
    assertThat(d.version()).isEqualTo(-1);
    FlagdFlag color = d.flagdFlags().get(0);
    assertThat(color.type()).isEqualTo(FlagdFlag.VariantType.STRING);
    assertThat(color.enabled()).isTrue();
    assertThat(color.defaultVariant()).isEqualTo("red");
    FlagdFlag off = d.flagdFlags().get(1);
    assertThat(off.enabled()).isFalse();
    assertThat(off.defaultVariant()).isNull();
  }

  @Test
  void flagdProblems_areReportedPerFlag() {
    String doc =
        """
        {"flags": {
          "a": {"state": "ON", "variants": {"on": true, "off": "false"}, "defaultVariant": "maybe"},
          "b": {"variants": {}},
          "c": {"state": "ENABLED", "variants": {"x": 1}, "metadata": {"m": {"k": 1}}}
        }, "metadata": {"n": [1]}}
        """;
    assertThat(problems(doc))
        .containsExactlyInAnyOrder(
            "metadata.n: [1] must be a string, number or boolean",
            "flags.a.state: \"ON\" must be ENABLED or DISABLED",
            "flags.a.variants: {\"on\":true,\"off\":\"false\"} mixes boolean and string values;"
                + " all variants of a flag share one type",
            "flags.a.defaultVariant: \"maybe\" is not one of the variants [\"on\",\"off\"]",
            "flags.b.state: is missing (ENABLED or DISABLED)",
            "flags.b.variants: {} must name at least one variant",
            "flags.c.metadata.m: {\"k\":1} must be a string, number or boolean");
  }

  @Test
  void flagdArrayForm_isAcceptedUnlessTheProvidersSchemaIsDeclared() throws Exception {
    String flags =
        "\"flags\":[{\"key\":\"k\",\"state\":\"ENABLED\",\"variants\":{\"on\":true},"
            + "\"defaultVariant\":\"on\"}]";
    assertThat(parse("{" + flags + "}").flagdFlags())
        .extracting(FlagdFlag::key)
        .containsExactly("k");
    assertThat(problems("{\"$schema\":\"https://flagd.dev/schema/v0/flags.json\"," + flags + "}"))
        .singleElement()
        .asString()
        .startsWith("flags: [")
        .contains("does not allow the array form");
  }

  @Test
  void flagKeysWithOddCharacters_areQuotedInPaths() {
    assertThat(
            problems("{\"flags\":{\"my flag\":{\"state\":\"ENABLED\",\"variants\":{\"a\":null}}}}"))
        .containsExactly(
            "flags[\"my flag\"].variants.a: null must be a boolean, string, number or object"
                .replace("null ", ""));
  }

  // ---- hostile input: always a DocumentException ----

  @Test
  void duplicateJsonKeys_areRejected() {
    assertThat(problems("{\"flags\":[], \"flags\":[]}"))
        .singleElement()
        .asString()
        .startsWith("$: is not valid JSON (line 1, column")
        .contains("Duplicate field 'flags'");
  }

  @Test
  void duplicateYamlKeys_areRejected() {
    assertThat(problems("flags: []\nflags: []\n")).singleElement().asString().contains("flags");
  }

  @Test
  void trailingContent_isRejected() {
    assertThat(problems("{\"flags\":[]} {}"))
        .containsExactly(
            "$: has unexpected content after the document (line 1, column 15);"
                + " a file holds exactly one document");
  }

  @Test
  void deepNesting_isRejected() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    assertThat(problems("{\"config\":{\"x\":{\"y\":" + deep + "}}}"))
        .singleElement()
        .asString()
        .contains("nesting depth");
  }

  @Test
  void oversizedDocument_isRejectedBeforeParsing() {
    byte[] big = new byte[Json.MAX_DOCUMENT_BYTES + 1];
    assertThatThrownBy(() -> DocumentParser.parse(big, "big.json"))
        .isInstanceOf(DocumentException.class)
        .hasMessageContaining("more than the limit of 10485760 bytes");
  }

  @Test
  void yamlAliasBomb_isRejected() {
    String bomb =
        """
        config:
          a: &a ["x","x","x","x","x","x","x","x","x"]
          b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
          c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        """;
    assertThat(problems(bomb)).singleElement().asString().contains("YAML aliases");
  }

  @Test
  void garbageAndNonObjects_areRejected() {
    assertThat(problems("[1,2]"))
        .containsExactly("$: [1,2] is not a JSON object; a flag document is an object");
    assertThat(problems("")).containsExactly("$: is empty: the document has no content");
    assertThat(problems("{\"flags\": [tru")).hasSize(1);
    assertThatThrownBy(
            () ->
                DocumentParser.parse(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2}, "flags.json"))
        .isInstanceOf(DocumentException.class);
    assertThatThrownBy(() -> DocumentParser.parse(": : :\n\t- [", "flags.yaml"))
        .isInstanceOf(DocumentException.class);
  }
}
