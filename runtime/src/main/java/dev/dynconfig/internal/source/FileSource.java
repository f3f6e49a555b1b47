package dev.dynconfig.internal.source;

import dev.dynconfig.ConnectionStatus;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local flag file, watched for changes.
 *
 * <p>Watches the file's directory with a {@link WatchService} (which also sees editors' and git's
 * atomic rename-over-the-file) and, because WatchService is unreliable on some filesystems (network
 * mounts, some container overlays, macOS polling), also checks the file every {@code pollInterval}:
 * any change of content is offered to the engine. Content, not timestamps, decides what changed, so
 * a same-size edit within the same second is not missed. A missing or unreadable file is reported
 * through the sink's status and the last good document keeps serving; a document that fails
 * validation is rejected (and logged) by the engine.
 */
public final class FileSource implements ConfigSource {
  private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);

  /** The default interval of the polling fallback. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

  private final Path file;
  private final Duration pollInterval;
  private final Object readLock = new Object();
  private volatile SourceSink sink;
  private volatile Thread watcher;
  private volatile WatchService watchService;
  private volatile boolean closed;

  /**
   * Files up to this size are remembered and compared byte for byte, larger ones by their SHA-256
   * digest: the digest would load the JDK's security providers (~80 classes) while the application
   * starts, for the few bytes of a typical flag file.
   */
  private static final int COMPARE_CONTENT_UP_TO = 1 << 20;

  private byte[] lastContent; // guarded by readLock; the last file offered, when small
  private byte[] lastDigest; // guarded by readLock; its SHA-256 digest, when large
  private boolean missingReported; // guarded by readLock
  private boolean everRead; // guarded by readLock; the file existed at some point
  private boolean unreadableReported; // guarded by readLock

  public FileSource(Path file) {
    this(file, DEFAULT_POLL_INTERVAL);
  }

  /** A file source whose polling fallback checks every {@code pollInterval}. */
  public FileSource(Path file, Duration pollInterval) {
    this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
  }

  /**
   * Reads the file once, synchronously (so the first document is served on return), then watches.
   */
  @Override
  public void start(SourceSink sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
    check(true);
    Thread t = new Thread(this::watchLoop, "dynconfig-file-watcher");
    t.setDaemon(true);
    watcher = t;
    t.start();
  }

  /** {@link #start} reads the file before it returns. */
  @Override
  public boolean startsSynchronously() {
    return true;
  }

  @Override
  public void refresh() {
    if (sink != null) {
      check(true);
    }
  }

  @Override
  public String describe() {
    return "file:" + file;
  }

  /** The watched file (absolute). */
  public Path file() {
    return file;
  }

  @Override
  public void close() {
    closed = true;
    WatchService ws = watchService;
    if (ws != null) {
      try {
        ws.close();
      } catch (IOException e) {
        LOG.debug("Closing the watch service of {} failed", file, e);
      }
    }
    Thread t = watcher;
    if (t != null) {
      t.interrupt();
    }
  }

  private void watchLoop() {
    WatchService ws = null;
    Path dir = file.getParent();
    try {
      ws = dir.getFileSystem().newWatchService();
      dir.register(
          ws,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
      watchService = ws;
    } catch (IOException | UnsupportedOperationException e) {
      LOG.info(
          "Cannot watch {} ({}); checking the file every {} ms instead",
          dir,
          e,
          pollInterval.toMillis());
      ws = null;
    }
    if (closed && ws != null) {
      closeQuietly(ws);
      return;
    }
    try {
      while (!closed) {
        boolean relevant = false;
        if (ws != null) {
          WatchKey key = ws.poll(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
          if (key != null) {
            for (WatchEvent<?> event : key.pollEvents()) {
              Object ctx = event.context();
              if (event.kind() == StandardWatchEventKinds.OVERFLOW
                  || (ctx instanceof Path p && p.equals(file.getFileName()))) {
                relevant = true;
              }
            }
            key.reset();
          }
        } else {
          Thread.sleep(pollInterval.toMillis());
        }
        if (relevant) {
          // Editors often write in several steps; give them a moment so we read the final bytes.
          Thread.sleep(Math.min(50, pollInterval.toMillis()));
        }
        try {
          check(false);
        } catch (RuntimeException | Error e) {
          // One failed read or offer (an Error from deep inside the engine, say) must not end the
          // watching: the last good document keeps serving and the next edit is tried again.
          LOG.error(
              "Reading or applying {} failed; the last good configuration keeps serving and the"
                  + " file is still watched",
              file,
              e);
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("The watcher of {} stopped unexpectedly; changes are no longer picked up", file, e);
      SourceSink s = sink;
      if (s != null) {
        s.status(ConnectionStatus.ERROR, "watcher of " + file + " stopped: " + e);
      }
    } finally {
      if (ws != null) {
        closeQuietly(ws);
      }
    }
  }

  /** Reads the file and offers it when its content changed (or always when {@code force}). */
  private void check(boolean force) {
    SourceSink s = sink;
    synchronized (readLock) {
      if (closed && !force) {
        return;
      }
      byte[] content;
      try {
        content = Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        if (!missingReported) {
          missingReported = true;
          String msg = "flag file " + file + " does not exist";
          LOG.warn("{}; keeping the last good configuration and waiting for it to appear", msg);
          s.status(ConnectionStatus.ERROR, msg);
        }
        return;
      } catch (IOException e) {
        String msg = "cannot read flag file " + file + ": " + e;
        LOG.warn("{}; keeping the last good configuration", msg);
        unreadableReported = true;
        s.status(ConnectionStatus.ERROR, msg);
        return;
      }
      if (missingReported || unreadableReported) {
        if (missingReported) {
          if (everRead) {
            LOG.info("Flag file {} is back", file);
          } else {
            LOG.info("Flag file {} now exists; reading it", file);
          }
        }
        missingReported = false;
        unreadableReported = false;
        // Connected again even when the content is what was served before (a file restored as
        // it was), which is not offered again below.
        s.status(ConnectionStatus.CONNECTED, null);
      }
      everRead = true;
      boolean small = content.length <= COMPARE_CONTENT_UP_TO;
      byte[] digest = small ? null : digest(content);
      if (!force
          && (small ? Arrays.equals(content, lastContent) : Arrays.equals(digest, lastDigest))) {
        return;
      }
      lastContent = small ? content : null;
      lastDigest = digest;
      s.status(ConnectionStatus.CONNECTED, null);
      SourceSink.OfferResult r = s.offer(content, -1, file.toString());
      LOG.debug("Offered {} ({} bytes): {}", file, content.length, r);
    }
  }

  private static byte[] digest(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      return content.clone();
    }
  }

  private static void closeQuietly(WatchService ws) {
    try {
      ws.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
