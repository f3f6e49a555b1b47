package dev.dynconfig.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynconfig.internal.document.Document;
import dev.dynconfig.internal.files.AtomicFiles;
import dev.dynconfig.internal.json.DocumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flag file as the server's store. A single writer thread ({@code dynconfig-store}) applies
 * admin edits and hand edits one at a time; each accepted change is validated, written atomically,
 * recorded in the version sidecar and only then published, so every published version is durable.
 *
 * <p>The sidecar {@code .<file>.dynconfig-state} holds the highest published version and the
 * SHA-256 of its bytes. It exists so that a file put back to an older content while the server was
 * down (git checkout) still gets a version above every one already published.
 */
final class FlagStore implements ServedStore {
  private static final Logger log = LoggerFactory.getLogger(FlagStore.class);
  private static final Logger audit = LoggerFactory.getLogger("dynconfig.audit");
  static final ObjectMapper MAPPER = StrictTree.MAPPER;

  /**
   * The highest version a client may report to move the server above it (see {@link #raiseAbove}):
   * 2^32 below {@link Document#MAX_VERSION}, so that a read-token holder reporting a huge version
   * cannot use up the versions left for admin writes.
   */
  static final long MAX_CLAIMED_VERSION = Document.MAX_VERSION - (1L << 32);

  /** A change to apply to a private copy of the current tree. */
  interface Edit {
    ObjectNode apply(ObjectNode copy, boolean flagd) throws AdminException;
  }

  private final Path file;
  private final Path sidecar;
  private final DocumentValidator validator;
  private final Consumer<Snapshot> publisher;
  private final FatalErrors fatal;
  private final ScheduledExecutorService writer;
  private final ChangeHistory history;
  private final Clock clock;
  private volatile Snapshot current;
  // Writer-thread only: the bytes last seen in / written to the file, so our own writes and
  // unchanged files are not treated as hand edits, and a broken edit is reported once.
  private byte[] lastKnownFileBytes;
  private FileKey lastKey;
  private FileWatch watch;

  private FlagStore(
      Path file,
      DocumentValidator validator,
      Consumer<Snapshot> publisher,
      ChangeHistory history,
      Clock clock,
      FatalErrors fatal) {
    this.fatal = fatal;
    this.file = file.toAbsolutePath();
    this.history = history;
    this.clock = clock;
    this.sidecar = this.file.resolveSibling("." + this.file.getFileName() + ".dynconfig-state");
    this.validator = validator;
    this.publisher = publisher;
    this.writer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dynconfig-store");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Loads (or creates) the file. Fails when the file is not a valid document: a server must not
   * start by serving something the clients would reject.
   */
  static FlagStore open(
      Path file,
      DocumentValidator validator,
      Consumer<Snapshot> publisher,
      Duration pollInterval,
      int historySize,
      Clock clock,
      FatalErrors fatal)
      throws IOException, DocumentException {
    FlagStore store =
        new FlagStore(
            file, validator, publisher, FileChangeHistory.open(file, historySize), clock, fatal);
    // A crash between writing a temporary file and renaming it leaves the temporary behind.
    AtomicFiles.deleteStaleTemporaries(store.file);
    AtomicFiles.deleteStaleTemporaries(store.sidecar);
    try {
      store.load();
      store.watch =
          FileWatch.start(
              store.file,
              store.writer,
              store.fatal,
              fatal.guard(store::checkFile, "the store's file check"),
              pollInterval);
    } catch (IOException | DocumentException | RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  @Override
  public Snapshot current() {
    return current;
  }

  @Override
  public String kind() {
    return "file";
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public String describe() {
    return file.toString();
  }

  Path file() {
    return file;
  }

  @Override
  public ChangeHistory history() {
    return history;
  }

  /**
   * Applies {@code edit} on the writer thread. Completes with the new snapshot, or exceptionally
   * with {@link AdminException} / {@link DocumentException} (nothing changed then). With a {@code
   * precondition} the edit is refused (409) when it would overwrite a change made after the
   * caller's version.
   */
  @Override
  public CompletableFuture<Snapshot> submit(
      Author author, String what, Precondition precondition, Edit edit) {
    CompletableFuture<Snapshot> result = new CompletableFuture<>();
    try {
      writer.execute(
          () -> {
            try {
              result.complete(applyEdit(author, what, precondition, edit));
            } catch (Throwable t) {
              fatal.check(t, "the store writing " + what);
              result.completeExceptionally(t);
            }
          });
    } catch (RuntimeException rejected) {
      result.completeExceptionally(new AdminException(503, "server is shutting down"));
    }
    return result;
  }

  /**
   * Makes the served version higher than {@code reported}, a version a client says it holds: the
   * file was restored from a backup (without its sidecar) while clients kept newer versions, and
   * they would ignore every version up to theirs. The current content is republished as {@code
   * reported + 1}, so the whole fleet converges on it. Completes with the snapshot served
   * afterwards (unchanged when {@code reported} is not above it or above {@link
   * #MAX_CLAIMED_VERSION}).
   */
  @Override
  public CompletableFuture<Snapshot> raiseAbove(long reported, String who) {
    CompletableFuture<Snapshot> result = new CompletableFuture<>();
    try {
      writer.execute(
          () -> {
            try {
              result.complete(raise(reported, who));
            } catch (Throwable t) {
              fatal.check(t, "the store raising the version");
              result.completeExceptionally(t);
            }
          });
    } catch (RuntimeException rejected) {
      result.complete(current);
    }
    return result;
  }

  private Snapshot raise(long reported, String who) throws IOException {
    Snapshot cur = current;
    if (reported < cur.version() || reported > MAX_CLAIMED_VERSION) {
      return cur;
    }
    long next = reported + 1;
    ObjectNode stamped = DocumentShapes.stampVersion(cur.tree(), cur.flagd(), next);
    Snapshot s = new Snapshot(next, serialize(stamped), stamped, cur.flagd());
    persist(s);
    log.warn(
        "{} holds version {}, above the version {} served (the flag file was restored from a"
            + " backup or replaced without its version sidecar {}): serving the same content as"
            + " version {} so that every client takes it",
        who,
        reported,
        cur.version(),
        sidecar.getFileName(),
        next);
    audit.info("{} reported version {}: version {} -> {}", who, reported, cur.version(), next);
    publish(s);
    return s;
  }

  /** Checks the file for hand edits now (tests call it to avoid waiting for the watcher). */
  CompletableFuture<Void> checkFileNow() {
    return CompletableFuture.runAsync(
        fatal.guard(this::checkFile, "the store's file check"), writer);
  }

  private Snapshot applyEdit(Author author, String what, Precondition precondition, Edit edit)
      throws AdminException, DocumentException, IOException {
    Snapshot cur = current;
    if (precondition != null) {
      precondition.check(cur.version(), history);
    }
    ObjectNode edited = edit.apply(cur.tree().deepCopy(), cur.flagd());
    boolean flagd = DocumentShapes.isFlagd(edited);
    long next = cur.version() + 1;
    if (next > Document.MAX_VERSION) {
      throw new AdminException(
          409,
          "the version limit 2^53 is reached (version "
              + cur.version()
              + "); edit the file's version by hand to a lower value and restart");
    }
    ObjectNode stamped = DocumentShapes.stampVersion(edited, flagd, next);
    byte[] bytes = serialize(stamped);
    validator.validate(bytes, file.getFileName().toString());
    Snapshot s = new Snapshot(next, bytes, stamped, flagd);
    persist(s);
    audit.info("{} {}: version {} -> {}", author.auditName(), what, cur.version(), next);
    record(author, what, cur, s);
    publish(s);
    return s;
  }

  private void load() throws IOException, DocumentException {
    Sidecar side = readSidecar();
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      // A new store: start with an empty native document, above any version already published.
      ObjectNode empty = JsonNodeFactory.instance.objectNode();
      empty.putArray("flags");
      empty.putArray("tests");
      empty.putObject("config");
      long v = Math.max(side.version, 0) + 1;
      ObjectNode stamped = DocumentShapes.stampVersion(empty, false, v);
      Snapshot s = new Snapshot(v, serialize(stamped), stamped, false);
      validator.validate(s.bytes(), file.getFileName().toString());
      persist(s);
      current = s;
      history.startedAt(v);
      log.info("Created {} (version {})", file, v);
      return;
    }
    ObjectNode tree = parseObject(raw, file.getFileName().toString());
    boolean flagd = DocumentShapes.isFlagd(tree);
    long fileVersion = DocumentShapes.readVersion(tree, flagd);
    if (fileVersion > Document.MAX_VERSION) {
      log.warn(
          "{} has version {}, above the limit 2^53 ({}): ignoring it and numbering from the"
              + " version published before",
          file,
          fileVersion,
          Document.MAX_VERSION);
      fileVersion = -1;
    }
    Snapshot s;
    if (fileVersion > side.version
        || (fileVersion == side.version && Arrays.equals(sha256(raw), side.sha256))) {
      // As written by us (or bumped by hand past everything published): serve unchanged.
      validator.validate(raw, file.getFileName().toString());
      s = new Snapshot(fileVersion, raw, tree, flagd);
      lastKnownFileBytes = raw;
      if (fileVersion != side.version) {
        writeSidecar(s);
      }
    } else {
      long v = Math.max(Math.max(side.version, fileVersion), 0) + 1;
      ObjectNode stamped = DocumentShapes.stampVersion(tree, flagd, v);
      s = new Snapshot(v, serialize(stamped), stamped, flagd);
      validator.validate(s.bytes(), file.getFileName().toString());
      persist(s);
      if (fileVersion < 0) {
        log.info("{} has no version yet: serving it as version {}", file, v);
      } else {
        log.info(
            "{} has version {}, but {} was already published or the file changed while the server"
                + " was down: serving it as version {}",
            file,
            fileVersion,
            side.version,
            v);
      }
    }
    lastKey = FileKey.of(file);
    current = s;
    history.startedAt(s.version());
  }

  /** Writer thread: the file changed on disk (or may have). */
  private void checkFile() {
    try {
      FileKey key = FileKey.of(file);
      if (key != null && key.equals(lastKey)) {
        return;
      }
      byte[] raw;
      try {
        raw = Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        // Editors delete-and-recreate; git may remove the file briefly. Keep serving.
        lastKey = null;
        return;
      }
      lastKey = key;
      if (Arrays.equals(raw, lastKnownFileBytes)) {
        return;
      }
      lastKnownFileBytes = raw;
      Snapshot cur = current;
      ObjectNode tree;
      try {
        tree = parseObject(raw, file.getFileName().toString());
      } catch (DocumentException e) {
        log.warn(
            "Hand edit of {} ignored, still serving version {}: {}",
            file,
            cur.version(),
            e.getMessage());
        return;
      }
      boolean flagd = DocumentShapes.isFlagd(tree);
      long fileVersion = DocumentShapes.readVersion(tree, flagd);
      if (fileVersion > Document.MAX_VERSION) {
        log.warn(
            "Hand edit of {} rejected, still serving version {}: {}: {} is above the limit 2^53"
                + " ({}); set a lower version or remove it (the server numbers the edit itself)",
            file,
            cur.version(),
            flagd ? "metadata.version" : "version",
            fileVersion,
            Document.MAX_VERSION);
        return;
      }
      Snapshot s;
      if (fileVersion > cur.version()) {
        s = new Snapshot(fileVersion, raw, tree, flagd);
      } else {
        long v = cur.version() + 1;
        ObjectNode stamped = DocumentShapes.stampVersion(tree, flagd, v);
        s = new Snapshot(v, serialize(stamped), stamped, flagd);
      }
      try {
        validator.validate(s.bytes(), file.getFileName().toString());
      } catch (DocumentException e) {
        log.warn(
            "Hand edit of {} rejected, still serving version {}: {}",
            file,
            cur.version(),
            e.getMessage());
        return;
      }
      if (s.bytes() != raw) {
        persist(s); // the file gets the version stamp, so it stays self-describing
      } else {
        writeSidecar(s);
      }
      Author author = Author.file(file.getFileName().toString());
      audit.info("{}: version {} -> {}", author.auditName(), cur.version(), s.version());
      record(author, "edit " + file.getFileName(), cur, s);
      publish(s);
    } catch (IOException | RuntimeException e) {
      log.warn("Could not check {} for changes: {}", file, e.toString());
    }
  }

  private void record(Author author, String what, Snapshot before, Snapshot after) {
    try {
      history.append(
          new Change(
              0,
              after.version(),
              before.version(),
              clock.instant(),
              author.principal(),
              author.source(),
              what,
              DocumentDiff.between(before.tree(), after.tree())));
    } catch (RuntimeException e) {
      log.warn("Could not record version {} in the history", after.version(), e);
    }
  }

  private void publish(Snapshot s) {
    current = s;
    try {
      publisher.accept(s);
    } catch (RuntimeException e) {
      log.warn("Broadcasting version {} failed", s.version(), e);
    }
  }

  private void persist(Snapshot s) throws IOException {
    AtomicFiles.write(file, s.bytes());
    lastKnownFileBytes = s.bytes();
    lastKey = FileKey.of(file);
    writeSidecar(s);
  }

  private void writeSidecar(Snapshot s) throws IOException {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("version", s.version());
    n.put("sha256", HexFormat.of().formatHex(sha256(s.bytes())));
    AtomicFiles.write(sidecar, MAPPER.writeValueAsBytes(n));
  }

  private Sidecar readSidecar() {
    try {
      JsonNode n = MAPPER.readTree(Files.readAllBytes(sidecar));
      long version = n.path("version").asLong(-1);
      if (version > Document.MAX_VERSION) {
        log.warn(
            "Ignoring version {} in {}: above the limit 2^53 ({})",
            version,
            sidecar,
            Document.MAX_VERSION);
        return new Sidecar(-1, new byte[0]);
      }
      return new Sidecar(version, HexFormat.of().parseHex(n.path("sha256").asText("")));
    } catch (NoSuchFileException e) {
      return new Sidecar(-1, new byte[0]);
    } catch (IOException | RuntimeException e) {
      log.warn("Ignoring unreadable version sidecar {}: {}", sidecar, e.toString());
      return new Sidecar(-1, new byte[0]);
    }
  }

  private record Sidecar(long version, byte[] sha256) {}

  static ObjectNode parseObject(byte[] raw, String origin) throws DocumentException {
    JsonNode n;
    try {
      n = StrictTree.read(raw);
    } catch (StrictTree.Refused e) {
      throw new DocumentException(
          origin,
          java.util.List.of(
              new DocumentException.Problem(
                  e.path(), null, "cannot be read exactly: " + e.getMessage())));
    }
    if (n instanceof ObjectNode o) {
      return o;
    }
    throw new DocumentException(
        origin,
        java.util.List.of(
            new DocumentException.Problem(
                "$", n.getNodeType().name(), "the document must be a JSON object")));
  }

  static byte[] serialize(ObjectNode tree) {
    try {
      return (MAPPER.writeValueAsString(tree) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e);
    }
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    history.close();
  }

  /** Cheap change detection before reading the file. */
  private record FileKey(Object inode, long size, long modifiedNanos) {
    static FileKey of(Path p) {
      try {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        return new FileKey(
            Objects.requireNonNullElse(a.fileKey(), ""),
            a.size(),
            a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
      } catch (IOException e) {
        return null;
      }
    }
  }
}
