package dev.dynconfig.internal.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dynconfig.internal.json.DocumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * flagd's own schema fixtures: every positive flag file (and the examples) loads, every negative
 * one is rejected. {@code *.flagdimport.*} files and {@code test/flagd} use flagd's daemon schema,
 * which also allows the array form; {@code *.ffconfig.json} is just another flag file.
 */
class FlagdConformanceTest {
  static final Path ROOT =
      Path.of(System.getProperty("dynconfig.conformance.dir", "../shared/conformance"))
          .resolve("flagd-schemas/json");

  static Stream<Path> files(String... dirs) throws IOException {
    if (!Files.isDirectory(ROOT)) {
      return Stream.of(Path.of("<conformance data absent>"));
    }
    Stream<Path> all = Stream.empty();
    for (String d : dirs) {
      Path p = ROOT.resolve(d);
      if (Files.isDirectory(p)) {
        List<Path> list;
        try (Stream<Path> s = Files.list(p)) {
          list = s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        all = Stream.concat(all, list.stream());
      }
    }
    return all;
  }

  static Stream<Path> positives() throws IOException {
    return files("test/flags/positive", "test/flagd/positive", "examples");
  }

  static Stream<Path> negatives() throws IOException {
    return files("test/flags/negative", "test/flagd/negative");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("positives")
  void positiveFixture_loads(Path file) throws Exception {
    assumeTrue(Files.isDirectory(ROOT), "flagd schema fixtures not found at " + ROOT);
    Document d = DocumentParser.parse(Files.readAllBytes(file), file.getFileName().toString());
    assertThat(d.format()).isEqualTo(Document.Format.FLAGD);
    assertThat(d.flagdFlags()).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("negatives")
  void negativeFixture_isRejected(Path file) {
    assumeTrue(Files.isDirectory(ROOT), "flagd schema fixtures not found at " + ROOT);
    assertThatThrownBy(
            () -> DocumentParser.parse(Files.readAllBytes(file), file.getFileName().toString()))
        .isInstanceOf(DocumentException.class)
        .hasMessageStartingWith(file.getFileName().toString() + ": ");
  }
}
