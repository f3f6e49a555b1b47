package dev.dynconfig.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynconfig.internal.files.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * only the kept changes once it holds twice as many lines. Each line is forced to disk before
 * {@link #append} returns, so an acknowledged change is in the history after a power loss; a crash
 * mid-append leaves at most a torn last line, which loading skips. A history that cannot be written
 * is a warning, never a refused change: the document is the source of truth.
 */
final class FileChangeHistory implements ChangeHistory {
  private static final Logger log = LoggerFactory.getLogger(FileChangeHistory.class);

  private final Path path;
  private final int capacity;
  private final ArrayDeque<Change> changes = new ArrayDeque<>();
  private long coveredFrom = Long.MAX_VALUE;
  private long nextId = 1;
  private int linesOnDisk;
  private boolean endsMidLine;
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
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      log.warn("Cannot read the history {} ({}); starting an empty one", path, e.toString());
      return;
    }
    // A crash mid-append leaves the last line without its newline; the next line starts afresh.
    endsMidLine = !text.isEmpty() && !text.endsWith("\n");
    List<String> lines = text.lines().toList();
    List<Integer> bad = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
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
        bad.add(i + 1);
      }
    }
    linesOnDisk = lines.size();
    int last = lines.size();
    if (endsMidLine && !bad.isEmpty() && bad.get(bad.size() - 1) == last) {
      bad.remove(bad.size() - 1);
      log.warn(
          "Skipped the torn last line {} of the history {} (an entry cut short by a crash before it"
              + " was acknowledged); the {} change(s) before it are kept",
          last,
          path,
          changes.size());
      cutTornLine(text);
    }
    if (!bad.isEmpty()) {
      log.warn("Skipped unreadable line(s) {} of the history {}", bad, path);
    }
  }

  /** Drops the torn bytes so later starts do not warn again; if that fails, appends skip them. */
  private void cutTornLine(String text) {
    long complete =
        text.substring(0, text.lastIndexOf('\n') + 1).getBytes(StandardCharsets.UTF_8).length;
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
      ch.truncate(complete);
      ch.force(false);
      endsMidLine = false;
      linesOnDisk--;
    } catch (IOException e) {
      log.warn("Cannot cut the torn line off the history {} ({})", path, e.toString());
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
      appendDurably((endsMidLine ? "\n" : "") + line + "\n");
      endsMidLine = false;
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

  /**
   * Appends and forces the bytes to disk (one fsync per change: the price of an acknowledged change
   * surviving a power loss); a new file's directory entry is forced too.
   */
  private void appendDurably(String text) throws IOException {
    boolean created = linesOnDisk == 0 && !Files.exists(path);
    try (FileChannel ch =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(false);
    }
    if (created) {
      forceDirectory(path.getParent());
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | RuntimeException ignored) {
      // Not every platform can fsync a directory (Windows); the file's bytes are forced already.
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
    endsMidLine = false;
  }

  @Override
  public void close() {
    // Every line is forced to disk when appended; nothing is buffered.
  }
}
