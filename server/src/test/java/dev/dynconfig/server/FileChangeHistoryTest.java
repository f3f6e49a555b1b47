package dev.dynconfig.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileChangeHistoryTest {
  static final ObjectMapper M = new ObjectMapper();
  @TempDir Path dir;

  static Change change(long version, String flag) {
    return new Change(
        0,
        version,
        version - 1,
        Instant.parse("2026-01-01T00:00:00Z"),
        "ed",
        Source.API,
        "PUT flags/" + flag,
        List.of(new ItemChange(Item.flag(flag), null, M.createObjectNode().put("key", flag))));
  }

  Path historyFile() {
    return dir.resolve(".flags.json.dynconfig-history");
  }

  @Test
  void unreadableLines_areSkipped_theRestIsKept() throws Exception {
    Path doc = dir.resolve("flags.json");
    try (FileChangeHistory h = FileChangeHistory.open(doc, 10)) {
      h.startedAt(1);
      h.append(change(2, "a"));
      h.append(change(3, "b"));
    }
    List<String> lines = Files.readAllLines(historyFile());
    Files.write(
        historyFile(),
        List.of(lines.get(0), "{not json", lines.get(1), "", "{\"id\": 9}", lines.get(2)));
    try (FileChangeHistory h = FileChangeHistory.open(doc, 10)) {
      assertThat(h.list(10, Long.MAX_VALUE))
          .extracting(Change::action)
          .containsExactly("PUT flags/b", "PUT flags/a");
      assertThat(h.coveredFrom()).isEqualTo(1);
      assertThat(h.append(change(4, "c")).id()).as("ids continue").isEqualTo(3);
    }
  }

  /** What a crash mid-append leaves: the complete lines, then a cut-off entry without newline. */
  String tearTheLastLine(Path doc) throws Exception {
    try (FileChangeHistory h = FileChangeHistory.open(doc, 10)) {
      h.startedAt(1);
      h.append(change(2, "a"));
      h.append(change(3, "b"));
    }
    String complete = Files.readString(historyFile());
    String entry = change(4, "c").withId(3).toJson().toString();
    Files.writeString(historyFile(), complete + entry.substring(0, entry.length() / 2));
    return complete;
  }

  @Test
  void aTornLastLine_isSkipped_andTheEntriesBeforeItAreKept() throws Exception {
    Path doc = dir.resolve("flags.json");
    String complete = tearTheLastLine(doc);
    try (FileChangeHistory h = FileChangeHistory.open(doc, 10)) {
      assertThat(h.list(10, Long.MAX_VALUE))
          .extracting(Change::action)
          .containsExactly("PUT flags/b", "PUT flags/a");
      assertThat(h.coveredFrom()).isEqualTo(1);
    }
    assertThat(Files.readString(historyFile()))
        .as("the torn bytes are cut off, so the next start does not warn again")
        .isEqualTo(complete);
  }

  @Test
  void anAppendAfterATornLine_startsOnAFreshLine_andIsReadable() throws Exception {
    Path doc = dir.resolve("flags.json");
    tearTheLastLine(doc);
    try (FileChangeHistory h = FileChangeHistory.open(doc, 10)) {
      assertThat(h.append(change(4, "c")).id()).isEqualTo(3);
      h.append(change(5, "d"));
    }
    List<String> lines = Files.readAllLines(historyFile());
    assertThat(lines).hasSize(5);
    assertThat(M.readTree(lines.get(3)).get("action").asText()).isEqualTo("PUT flags/c");
    try (FileChangeHistory h = FileChangeHistory.open(doc, 10)) {
      assertThat(h.list(10, Long.MAX_VALUE))
          .extracting(Change::action)
          .containsExactly("PUT flags/d", "PUT flags/c", "PUT flags/b", "PUT flags/a");
    }
  }

  @Test
  void aLastLineMissingOnlyItsNewline_isKept_andTheNextAppendStartsAfterIt() throws Exception {
    Path doc = dir.resolve("flags.json");
    try (FileChangeHistory h = FileChangeHistory.open(doc, 10)) {
      h.startedAt(1);
      h.append(change(2, "a"));
    }
    String text = Files.readString(historyFile());
    Files.writeString(historyFile(), text.substring(0, text.length() - 1));
    try (FileChangeHistory h = FileChangeHistory.open(doc, 10)) {
      h.append(change(3, "b"));
    }
    try (FileChangeHistory h = FileChangeHistory.open(doc, 10)) {
      assertThat(h.list(10, Long.MAX_VALUE))
          .extracting(Change::action)
          .containsExactly("PUT flags/b", "PUT flags/a");
    }
  }

  @Test
  void theFile_staysBounded_andKeepsTheNewestChanges() throws Exception {
    Path doc = dir.resolve("flags.json");
    try (FileChangeHistory h = FileChangeHistory.open(doc, 5)) {
      h.startedAt(0);
      for (int v = 1; v <= 100; v++) {
        h.append(change(v, "f" + v));
      }
      assertThat(h.coveredFrom()).isEqualTo(95);
    }
    assertThat(Files.readAllLines(historyFile()).size()).isLessThanOrEqualTo(10);
    try (FileChangeHistory h = FileChangeHistory.open(doc, 5)) {
      assertThat(h.list(100, Long.MAX_VALUE))
          .extracting(Change::version)
          .containsExactly(100L, 99L, 98L, 97L, 96L);
      assertThat(h.coveredFrom()).isEqualTo(95);
    }
  }

  @Test
  void anUnwritableHistory_keepsChangesInMemory() throws Exception {
    Path doc = dir.resolve("flags.json");
    Files.createDirectories(historyFile()); // a directory where the file should be
    try (FileChangeHistory h = FileChangeHistory.open(doc, 5)) {
      h.startedAt(1);
      h.append(change(2, "a"));
      assertThat(h.list(5, Long.MAX_VALUE)).hasSize(1);
      assertThat(h.get(1)).isPresent();
    }
  }

  @Test
  void aRestartAfterAnEditWhileDown_startsANewCoverage() throws Exception {
    Path doc = dir.resolve("flags.json");
    try (FileChangeHistory h = FileChangeHistory.open(doc, 5)) {
      h.startedAt(1);
      h.append(change(2, "a"));
    }
    try (FileChangeHistory h = FileChangeHistory.open(doc, 5)) {
      h.startedAt(2); // the same version: the history leads up to it
      assertThat(h.coveredFrom()).isEqualTo(1);
      h.startedAt(7); // a file changed while the server was down
      assertThat(h.coveredFrom()).isEqualTo(7);
    }
    try (FileChangeHistory h = FileChangeHistory.open(doc, 5)) {
      assertThat(h.coveredFrom()).isEqualTo(7);
    }
  }

  @Test
  void documentDiff_findsEachChangedItem_andIgnoresTheVersionStamp() throws Exception {
    ObjectNode a =
        (ObjectNode)
            M.readTree(
                """
                {"version": 3, "flags": [{"key": "x", "defaultValue": true}, {"key": "y"}],
                 "tests": [{"id": "t", "status": "draft"}], "config": {"ui": {"a": 1, "b": 2}},
                 "roles": ["user"]}
                """);
    ObjectNode b =
        (ObjectNode)
            M.readTree(
                """
                {"version": 4, "flags": [{"key": "x", "defaultValue": false}, {"key": "z"}],
                 "tests": [{"id": "t", "status": "draft"}], "config": {"ui": {"a": 1, "b": 3}},
                 "roles": ["user", "admin"]}
                """);
    assertThat(DocumentDiff.between(a, b))
        .extracting(c -> c.item().toString())
        .containsExactly("flags/x", "flags/y", "flags/z", "config/ui/b", "roles");
    ObjectNode f1 =
        (ObjectNode)
            M.readTree(
                "{\"metadata\": {\"version\": \"3\"}, \"flags\": {\"s\": {\"state\": \"ENABLED\"}}}");
    ObjectNode f2 =
        (ObjectNode)
            M.readTree(
                "{\"metadata\": {\"version\": \"4\"}, \"flags\": {\"s\": {\"state\": \"DISABLED\"}}}");
    assertThat(DocumentDiff.between(f1, f2))
        .extracting(c -> c.item().toString())
        .containsExactly("flags/s");
  }
}
