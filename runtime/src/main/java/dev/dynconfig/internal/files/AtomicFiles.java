package dev.dynconfig.internal.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file replacement: the target always holds either the old or the new content, never a
 * torn mix. Used by the offline cache and by the server's flag-file store.
 */
public final class AtomicFiles {
  /**
   * Runs after a temporary file has been written and forced to disk and before it is renamed over
   * its target, the worst moment for a crash: the crash tests halt the JVM there to show the target
   * is then the old content, never a torn one. Null (nothing runs) unless a test sets it.
   */
  private static volatile Runnable beforeRename;

  private static final String TMP_INFIX = ".tmp-";

  private AtomicFiles() {}

  /** Sets what runs between forcing a temporary file and renaming it (null: nothing); for tests. */
  public static void beforeRename(Runnable hook) {
    beforeRename = hook;
  }

  /**
   * Deletes temporary files a crash left next to {@code target} ({@code .<name>.tmp-*}). Only for a
   * single writer that owns the target (the server's store at start-up). Best effort.
   */
  public static void deleteStaleTemporaries(Path target) {
    Path abs = target.toAbsolutePath();
    String prefix = "." + abs.getFileName() + TMP_INFIX;
    try (var entries = Files.newDirectoryStream(abs.getParent(), prefix + "*")) {
      for (Path p : entries) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException ignored) {
      // leftovers only cost disk space
    }
  }

  /**
   * Writes {@code content} to a temporary file in the target's directory, forces it to disk,
   * renames it over {@code target} atomically and forces the directory entry.
   *
   * @throws IOException when any step fails; the target is then unchanged and the temp file gone
   */
  public static void write(Path target, byte[] content) throws IOException {
    write(target, content, false);
  }

  /**
   * As {@link #write(Path, byte[])}; with {@code ownerOnly} the file is created readable and
   * writable by its owner only ({@code 0600}, and missing directories {@code 0700}) on file systems
   * with POSIX permissions, from the first byte on: it may hold secrets.
   */
  public static void write(Path target, byte[] content, boolean ownerOnly) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    boolean posix =
        ownerOnly && dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (posix && !Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Files.createDirectories(dir);
    Path tmp =
        dir.resolve(
            "."
                + abs.getFileName()
                + TMP_INFIX
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      Set<StandardOpenOption> options =
          Set.of(
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
      try (FileChannel ch =
          posix
              ? FileChannel.open(
                  tmp,
                  options,
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rw-------")))
              : FileChannel.open(tmp, options)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Runnable hook = beforeRename;
      if (hook != null) {
        hook.run();
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        // Same directory, so this only happens on exotic file systems; a plain replace is the best
        // we can do there.
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    forceDirectory(dir);
  }

  /**
   * Makes the rename durable; not supported on every platform (e.g. Windows), hence best effort.
   */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | RuntimeException ignored) {
      // Directories cannot be opened for fsync everywhere; the rename itself already happened.
    }
  }
}
