package dev.dynconfig.server;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the store's file check on its writer thread whenever the file may have changed: on
 * file-system events for it (debounced) and on a fixed poll, which catches what the WatchService
 * misses. {@link #close()} stops both.
 */
final class FileWatch implements AutoCloseable {
  // Logs under the store's name, which is what operators configure.
  private static final Logger log = LoggerFactory.getLogger(FlagStore.class);

  private final Path file;
  private final ScheduledExecutorService writer;
  private final Runnable check;
  private WatchService watchService;
  private ScheduledFuture<?> pollTask;
  private ScheduledFuture<?> pendingCheck;

  private FileWatch(Path file, ScheduledExecutorService writer, Runnable check) {
    this.file = file;
    this.writer = writer;
    this.check = check;
  }

  static FileWatch start(
      Path file,
      ScheduledExecutorService writer,
      FatalErrors fatal,
      Runnable check,
      Duration pollInterval) {
    FileWatch w = new FileWatch(file, writer, check);
    w.begin(fatal, pollInterval);
    return w;
  }

  private void begin(FatalErrors fatal, Duration pollInterval) {
    // Polling catches what the WatchService misses (network file systems, some container mounts).
    long ms = Math.max(10, pollInterval.toMillis());
    pollTask = writer.scheduleWithFixedDelay(check, ms, ms, TimeUnit.MILLISECONDS);
    try {
      watchService = file.getFileSystem().newWatchService();
      file.getParent()
          .register(
              watchService,
              StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_MODIFY,
              StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException | UnsupportedOperationException e) {
      log.info("No file-system events for {} ({}); polling every {} ms", file, e, ms);
      return;
    }
    Thread t = new Thread(fatal.guard(this::watchLoop, "the file watcher"), "dynconfig-file-watch");
    t.setDaemon(true);
    t.start();
  }

  private void watchLoop() {
    WatchService ws = watchService;
    while (true) {
      WatchKey key;
      try {
        key = ws.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      boolean ours = false;
      for (WatchEvent<?> ev : key.pollEvents()) {
        Object ctx = ev.context();
        if (ev.kind() == StandardWatchEventKinds.OVERFLOW
            || (ctx instanceof Path p && p.equals(file.getFileName()))) {
          ours = true;
        }
      }
      key.reset();
      if (ours) {
        scheduleCheck();
      }
    }
  }

  /** Debounced: editors write in several steps; look once things settled for a moment. */
  private synchronized void scheduleCheck() {
    if (pendingCheck != null && !pendingCheck.isDone()) {
      return;
    }
    try {
      pendingCheck = writer.schedule(check, 50, TimeUnit.MILLISECONDS);
    } catch (RuntimeException shuttingDown) {
      // closed
    }
  }

  @Override
  public void close() {
    if (pollTask != null) {
      pollTask.cancel(false);
    }
    if (watchService != null) {
      try {
        watchService.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }
}
