package dev.dynconfig.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.testing.Examples;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  static final String EXAMPLE = Examples.ISSUE_2;

  static final String NOW = "2026-06-01T00:00:00Z";

  @TempDir Path dir;
  Path example;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void writeExample() throws Exception {
    example = Files.writeString(dir.resolve("flags.json"), EXAMPLE);
  }

  int run(String... args) {
    return Cli.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8).strip();
  }

  @Test
  void validate_validFile_printsSummary_exit0() {
    assertThat(run("validate", example.toString())).isZero();
    assertThat(out())
        .isEqualTo(
            "OK " + example + ": native document version 7, 1 flag, 1 test, 2 config namespaces");
  }

  @Test
  void validate_invalidFile_printsEveryProblem_exit1() throws Exception {
    Path bad =
        Files.writeString(
            dir.resolve("bad.json"),
            "{\"flags\":[{\"key\":\"a\",\"rolloutPercentage\":140},{\"key\":\"a\",\"minRole\":\"boss\"}]}");
    assertThat(run("validate", bad.toString())).isEqualTo(1);
    assertThat(out())
        .isEqualTo(
            bad
                + ": 3 problems\n"
                + "  flags[0].rolloutPercentage: 140 is outside 0..100\n"
                + "  flags[1].key: \"a\" duplicates flags[0].key\n"
                + "  flags[1].minRole: \"boss\" is not a known role: the document declares no roles");
  }

  @Test
  void validate_missingFile_exit1() {
    assertThat(run("validate", dir.resolve("nope.json").toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read");
  }

  @Test
  void eval_targetingMatch() {
    assertThat(
            run(
                "eval",
                example.toString(),
                "new-dashboard",
                "--now",
                NOW,
                "--context",
                "{\"userId\":\"u1\",\"userRole\":\"admin\",\"plan\":\"premium\"}"))
        .isZero();
    assertThat(out())
        .isEqualTo(
            "{\"value\":true,\"reason\":\"TARGETING\",\"variant\":\"v2\","
                + "\"metadata\":{\"owner\":\"web\"}}");
  }

  @Test
  void eval_belowMinRole_isDefault() {
    run(
        "eval",
        example.toString(),
        "new-dashboard",
        "--now",
        NOW,
        "--context",
        "{\"userId\":\"u1\",\"userRole\":\"viewer\",\"plan\":\"premium\"}");
    assertThat(out())
        .isEqualTo(
            "{\"value\":false,\"reason\":\"DEFAULT\",\"variant\":\"v2\","
                + "\"metadata\":{\"owner\":\"web\"}}");
  }

  @Test
  void eval_afterExpiry_isExpired() {
    run("eval", example.toString(), "new-dashboard", "--now", "2028-01-01T00:00:00Z");
    assertThat(out())
        .isEqualTo(
            "{\"value\":false,\"reason\":\"EXPIRED\",\"variant\":\"v2\","
                + "\"metadata\":{\"owner\":\"web\"}}");
  }

  @Test
  void eval_unknownFlag_servesDefault_withErrorCode() {
    run("eval", example.toString(), "nope", "--default", "\"blue\"");
    assertThat(out())
        .isEqualTo(
            "{\"value\":\"blue\",\"reason\":\"DEFAULT\",\"errorCode\":\"FLAG_NOT_FOUND\","
                + "\"errorMessage\":\"no flag 'nope' in the current configuration\"}");
  }

  @Test
  void eval_flagdDisabledFlag_returnsTheDefaultArgument() throws Exception {
    Path flagd =
        Files.writeString(
            dir.resolve("flagd.yaml"),
            "flags:\n  f:\n    state: DISABLED\n    variants: {a: 1, b: 2}\n    defaultVariant: a\n");
    run("eval", flagd.toString(), "f", "--default", "7");
    assertThat(out()).isEqualTo("{\"value\":7,\"reason\":\"DISABLED\"}");
  }

  static final String FLAGD_WITH_BROKEN_FLAG =
      """
      {"metadata": {"flagSetId": "shop", "version": 3},
       "flags": {
         "color": {"state": "ENABLED", "variants": {"red": "#f00", "blue": "#00f"},
                   "defaultVariant": "blue", "metadata": {"owner": "web", "ratio": 0.5},
                   "targeting": {"if": [{"==": [{"var": "tier"}, "gold"]}, "red", null]}},
         "broken": {"state": "ENABLED", "variants": {"one": 1, "two": 2}, "defaultVariant": "two",
                    "targeting": {"invalid": ["this is not valid targeting"]}}}}
      """;

  @Test
  void eval_flagdFile_showsReasonVariantAndMergedMetadata() throws Exception {
    Path flagd = Files.writeString(dir.resolve("flagd.json"), FLAGD_WITH_BROKEN_FLAG);
    assertThat(run("eval", flagd.toString(), "color", "--context", "{\"tier\":\"gold\"}")).isZero();
    assertThat(out())
        .isEqualTo(
            "{\"value\":\"#f00\",\"reason\":\"TARGETING_MATCH\",\"variant\":\"red\","
                + "\"metadata\":{\"flagSetId\":\"shop\",\"owner\":\"web\",\"ratio\":0.5,"
                + "\"version\":3}}");
  }

  @Test
  void eval_flagdFile_brokenFlag_isParseError_otherFlagsWork() throws Exception {
    Path flagd = Files.writeString(dir.resolve("flagd.json"), FLAGD_WITH_BROKEN_FLAG);
    assertThat(run("eval", flagd.toString(), "broken", "--default", "7")).isZero();
    assertThat(out())
        .startsWith(
            "{\"value\":7,\"reason\":\"ERROR\",\"errorCode\":\"PARSE_ERROR\","
                + "\"errorMessage\":\"the targeting of flag 'broken' does not compile"
                + " (flags.broken.targeting: \\\"invalid\\\" is not a known operator)")
        .endsWith("\"metadata\":{\"flagSetId\":\"shop\",\"version\":3}}");
    out.reset();
    assertThat(run("eval", flagd.toString(), "nope", "--default", "\"x\"")).isZero();
    assertThat(out())
        .isEqualTo(
            "{\"value\":\"x\",\"reason\":\"ERROR\",\"errorCode\":\"FLAG_NOT_FOUND\","
                + "\"errorMessage\":\"no flag 'nope' in the current configuration\"}");
  }

  @Test
  void validate_flagdFileWithBrokenFlag_reportsIt_exit1() throws Exception {
    Path flagd = Files.writeString(dir.resolve("flagd.json"), FLAGD_WITH_BROKEN_FLAG);
    assertThat(run("validate", flagd.toString())).isEqualTo(1);
    assertThat(out())
        .isEqualTo(flagd + ": flags.broken.targeting: \"invalid\" is not a known operator");
  }

  @Test
  void assign_inTest_printsVariantAndConfig() {
    assertThat(run("assign", example.toString(), "checkout-experiment", "user-123", "--now", NOW))
        .isZero();
    assertThat(out())
        .matches(
            "\\{\"variant\":\"(control|variant-a|variant-b)\",\"config\":\\{\"steps\":[123]}}");
  }

  @Test
  void assign_outsideWindow_printsReason() {
    run(
        "assign",
        example.toString(),
        "checkout-experiment",
        "user-123",
        "--now",
        "2027-02-01T00:00:00Z");
    assertThat(out()).isEqualTo("{\"variant\":null,\"reason\":\"test has ended\"}");
  }

  @Test
  void assign_otherEnvironment_printsReason() {
    run(
        "assign",
        example.toString(),
        "checkout-experiment",
        "user-123",
        "--now",
        NOW,
        "--context",
        "{\"environment\":\"staging\"}");
    assertThat(out())
        .isEqualTo("{\"variant\":null,\"reason\":\"test does not run in this environment\"}");
  }

  @Test
  void help_andUsageErrors() {
    assertThat(run("--help")).isZero();
    assertThat(out()).startsWith("usage: dynconfig");
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("unknown command: frobnicate\nusage:");
    assertThat(run("eval", example.toString())).isEqualTo(2);
    assertThat(run("eval", example.toString(), "f", "--context", "[1]")).isEqualTo(2);
    assertThat(run()).isEqualTo(2);
  }
}
