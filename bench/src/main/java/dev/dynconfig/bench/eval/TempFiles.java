package dev.dynconfig.bench.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Flag files the offline peers read, written to a fresh temp directory per fork. */
final class TempFiles {
  private TempFiles() {}

  /** Writes {@code content} to a new temp directory and returns the file's path. */
  static Path write(String library, String fileName, String content) {
    try {
      Path dir = Files.createTempDirectory("dynconfig-bench-" + library);
      dir.toFile().deleteOnExit();
      Path file = dir.resolve(fileName);
      Files.writeString(file, content, StandardCharsets.UTF_8);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the " + library + " flag file " + fileName, e);
    }
  }
}
