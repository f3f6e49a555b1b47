package dev.dynconfig.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynconfig.internal.files.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history of a file store: the last {@code capacity} changes in memory, and as JSON lines in
 * {@code .<file>.dynconfig-history} so they survive a restart. A line {@code {"coveredFrom": V}}
 * marks a start without a recorded change leading to it. The file is rewritten (atomically) with
 * only the kept changes once it holds twice as many lines. A history that cannot be written is a
 * warning, never a refused change: the document is the source of truth.
 */
final class FileChangeHistory implements ChangeHistory {
  private static final Logger log = LoggerFactory.getLogger(FileChangeHistory.class);

  private final Path path;
  private final int capacity;
  private final ArrayDeque<Change> changes = new ArrayDeque<>();
  private long coveredFrom = Long.MAX_VALUE;
  private long nextId = 1;
  private int linesOnDisk;
  private boolean warned;

  private FileChangeHistory(Path path, int capacity) {
    this.path = path;
    this.capacity = capacity;
  }

  /** The history next to {@code documentFile}; unreadable lines are skipped with a warning. */
  static FileChangeHistory open(Path documentFile, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("the history size must be at least 1, got " + capacity);
    }
    Path p =
        documentFile
            .toAbsolutePath()
            .resolveSibling("." + documentFile.getFileName() + ".dynconfig-history");
    FileChangeHistory h = new FileChangeHistory(p, capacity);
    h.load();
    return h;
  }

  private void load() {
    AtomicFiles.deleteStaleTemporaries(path);
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      log.warn("Cannot read the history {} ({}); starting an empty one", path, e.toString());
      return;
    }
    int bad = 0;
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode n = FlagStore.MAPPER.readTree(line);
        if (n.has("coveredFrom")) {
          coveredFrom = n.get("coveredFrom").asLong();
        } else {
          keep(Change.fromJson(n));
        }
      } catch (IOException | RuntimeException e) {
        bad++;
      }
    }
    linesOnDisk = lines.size();
    if (bad > 0) {
      log.warn("Skipped {} unreadable line(s) of the history {}", bad, path);
    }
  }

  private void keep(Change c) {
    changes.addLast(c);
    nextId = Math.max(nextId, c.id() + 1);
    while (changes.size() > capacity) {
      changes.removeFirst();
    }
    if (coveredFrom == Long.MAX_VALUE) {
      coveredFrom = c.previousVersion();
    }
    coveredFrom = Math.max(coveredFrom, changes.peekFirst().previousVersion());
  }

  @Override
  public synchronized Change append(Change change) {
    Change c = change.withId(nextId);
    keep(c);
    write(c.toJson());
    return c;
  }

  @Override
  public synchronized List<Change> list(int limit, long beforeId) {
    List<Change> out = new ArrayList<>();
    for (Iterator<Change> it = changes.descendingIterator(); it.hasNext() && out.size() < limit; ) {
      Change c = it.next();
      if (c.id() < beforeId) {
        out.add(c);
      }
    }
    return out;
  }

  @Override
  public synchronized Optional<Change> get(long id) {
    for (Change c : changes) {
      if (c.id() == id) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized long coveredFrom() {
    return coveredFrom;
  }

  @Override
  public synchronized void startedAt(long version) {
    Change last = changes.peekLast();
    if (last != null && last.version() == version && coveredFrom != Long.MAX_VALUE) {
      return; // the history leads up to this version
    }
    coveredFrom = version;
    ObjectNode marker = JsonNodeFactory.instance.objectNode();
    marker.put("coveredFrom", version);
    write(marker);
  }

  private void write(ObjectNode line) {
    try {
      if (linesOnDisk + 1 > 2 * capacity) {
        rewrite(); // holds the new line's state already
        return;
      }
      try (OutputStream out =
          Files.newOutputStream(
              path,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE)) {
        out.write((line.toString() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      linesOnDisk++;
    } catch (IOException e) {
      if (!warned) {
        warned = true;
        log.warn(
            "Cannot write the history {} ({}); changes are kept in memory only until it works",
            path,
            e.toString());
      }
    }
  }

  private void rewrite() throws IOException {
    StringBuilder sb = new StringBuilder();
    ObjectNode marker = JsonNodeFactory.instance.objectNode();
    marker.put("coveredFrom", coveredFrom);
    sb.append(marker).append('\n');
    for (Change c : changes) {
      sb.append(c.toJson()).append('\n');
    }
    AtomicFiles.write(path, sb.toString().getBytes(StandardCharsets.UTF_8));
    linesOnDisk = changes.size() + 1;
  }

  @Override
  public void close() {
    // Every line is written when appended; nothing is buffered.
  }
}
