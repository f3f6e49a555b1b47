package dev.dynconfig.internal.document;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.internal.json.DocumentException.Problem;
import dev.dynconfig.internal.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One detection for the engine and the server: the cases the two used to answer differently are
 * flagd's (flagd's schema defines them), and a document in them is validated as flagd.
 */
class FormatDetectionTest {
  static Document.Format format(String json) throws DocumentException {
    return FormatDetection.of(Json.read(json, "flags.json"));
  }

  static List<String> problems(String json) {
    try {
      DocumentParser.parse(json, "flags.json");
    } catch (DocumentException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("document was accepted but should have been rejected");
  }

  @Test
  void evaluators_makeADocumentFlagd_soNativeLookingFlagsAreReportedNotItsEvaluatorsIgnored()
      throws Exception {
    String doc =
        """
        {"$evaluators": {"beta": {"in": [{"var": "email"}, ["a@x"]]}},
         "flags": [{"key": "a", "defaultValue": true}]}
        """;
    assertThat(format(doc)).isEqualTo(Document.Format.FLAGD);
    assertThat(problems(doc)).anyMatch(p -> p.contains("state") && p.contains("is missing"));
  }

  @Test
  void aFlagdSchema_makesADocumentFlagd_evenWithAnArrayOfNativeFlags() throws Exception {
    String doc =
        """
        {"$schema": "https://flagd.dev/schema/v0/flags.json",
         "flags": [{"key": "a", "defaultValue": true}]}
        """;
    assertThat(format(doc)).isEqualTo(Document.Format.FLAGD);
    assertThat(problems(doc)).anyMatch(p -> p.contains("does not allow the array form"));
    assertThat(
            format(
                """
                {"$schema": "https://raw.githubusercontent.com/open-feature/flagd-schemas/main/json/flagd.json",
                 "flags": []}
                """))
        .isEqualTo(Document.Format.FLAGD);
  }

  @Test
  void aDefaultVariant_makesAnArrayEntryAFlagdFlag_whichThenNeedsStateAndVariants()
      throws Exception {
    String doc = "{\"flags\": [{\"key\": \"a\", \"defaultVariant\": \"on\"}]}";
    assertThat(format(doc)).isEqualTo(Document.Format.FLAGD);
    assertThat(problems(doc))
        .anyMatch(p -> p.contains("state") && p.contains("is missing"))
        .anyMatch(p -> p.contains("variants"));
  }

  @Test
  void nativeDocuments_withOtherDollarFields_stayNative() throws Exception {
    String doc =
        """
        {"$schema": "https://example.com/schemas/dynconfig.json", "$comment": "ours",
         "version": 3, "flags": [{"key": "a", "defaultValue": true}]}
        """;
    assertThat(format(doc)).isEqualTo(Document.Format.NATIVE);
    Document parsed = DocumentParser.parse(doc, "flags.json");
    assertThat(parsed.format()).isEqualTo(Document.Format.NATIVE);
    assertThat(parsed.version()).isEqualTo(3);
    assertThat(format("{\"version\": 1}")).isEqualTo(Document.Format.NATIVE);
    assertThat(format("[1, 2]")).isEqualTo(Document.Format.NATIVE);
  }

  @Test
  void theTwoShapesFlagdAlwaysHad_stayFlagd() throws Exception {
    assertThat(format("{\"flags\": {}}")).isEqualTo(Document.Format.FLAGD);
    assertThat(
            format(
                "{\"flags\": [{\"key\": \"a\", \"state\": \"ENABLED\", \"variants\": {\"on\":"
                    + " true}}]}"))
        .isEqualTo(Document.Format.FLAGD);
  }

  @Test
  void aDocumentFlagdByItsDollarFields_withoutAFlagsObject_isRejectedAtFlags() {
    assertThat(problems("{\"$evaluators\": {}}"))
        .containsExactly("flags: is missing: a flagd document needs an object of flag key → flag");
    assertThat(
            problems("{\"$schema\": \"https://flagd.dev/schema/v0/flagd.json\", \"flags\": \"x\"}"))
        .containsExactly("flags: \"x\" must be an object of flag key → flag");
  }
}
