package dev.dynconfig.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynconfig.internal.document.DocumentParser;
import dev.dynconfig.internal.json.DocumentException;
import org.junit.jupiter.api.Test;

/**
 * The server versions and edits a document in the format the engine validates it as: the cases
 * where the two used to disagree ({@code $evaluators}, a flagd {@code $schema}, {@code
 * defaultVariant} in the array form) are flagd for both.
 */
class DocumentShapesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static ObjectNode tree(String json) throws Exception {
    return (ObjectNode) MAPPER.readTree(json);
  }

  /** Whether the engine rejects the document with flagd's vocabulary (state, variants, form). */
  static boolean engineValidatesAsFlagd(String json) {
    try {
      DocumentParser.parse(json, "flags.json");
      return false;
    } catch (DocumentException e) {
      return e.getMessage().contains("state: is missing")
          || e.getMessage().contains("does not allow the array form");
    }
  }

  @Test
  void evaluators_flagdSchema_andDefaultVariant_areFlagdForTheServerAsForTheEngine()
      throws Exception {
    for (String doc :
        new String[] {
          "{\"$evaluators\": {\"b\": {\"==\": [1, 1]}}, \"flags\": [{\"key\": \"a\","
              + " \"defaultValue\": true}]}",
          "{\"$schema\": \"https://flagd.dev/schema/v0/flags.json\", \"flags\": [{\"key\": \"a\","
              + " \"defaultValue\": true}]}",
          "{\"flags\": [{\"key\": \"a\", \"defaultVariant\": \"on\"}]}"
        }) {
      assertThat(DocumentShapes.isFlagd(tree(doc))).as(doc).isTrue();
      assertThat(engineValidatesAsFlagd(doc)).as(doc).isTrue();
    }
  }

  @Test
  void aNativeDocument_isVersionedAtTheTop_evenWithADollarSchemaOfItsOwn() throws Exception {
    ObjectNode root =
        tree(
            "{\"$schema\": \"https://example.com/dynconfig.json\", \"version\": 4,"
                + " \"flags\": [{\"key\": \"a\", \"defaultValue\": true}]}");
    assertThat(DocumentShapes.isFlagd(root)).isFalse();
    ObjectNode stamped = DocumentShapes.stampVersion(root, false, 5);
    assertThat(DocumentParser.parse(stamped.toString(), "flags.json").version()).isEqualTo(5);
  }

  @Test
  void aFlagdDocument_isVersionedInItsMetadata() throws Exception {
    ObjectNode root =
        tree(
            "{\"$evaluators\": {}, \"flags\": {\"a\": {\"state\": \"ENABLED\", \"variants\":"
                + " {\"on\": true}, \"defaultVariant\": \"on\"}}}");
    assertThat(DocumentShapes.isFlagd(root)).isTrue();
    ObjectNode stamped = DocumentShapes.stampVersion(root, true, 9);
    assertThat(DocumentShapes.readVersion(stamped, true)).isEqualTo(9);
    assertThat(stamped.path("metadata").path("version").asText()).isEqualTo("9");
  }
}
