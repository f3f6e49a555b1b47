package dev.dynconfig.internal.source.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynconfig.internal.files.AtomicFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last accepted remote document on disk, so a JVM that starts while its server is down can
 * still serve live values ({@code fallback=cache}). The file is JSON: {@code {"version": N,
 * "savedAt": "...", "source": "<url>", "document": {...}}}, replaced atomically on every save,
 * readable by its owner only ({@code 0600}); the URL's secrets are redacted ({@link RedactedUrl}).
 * Nothing here is ever fatal: an unwritable directory or a full disk logs a warning, a corrupt file
 * is reported and ignored.
 */
public final class OfflineCache {
  private static final Logger log = LoggerFactory.getLogger(OfflineCache.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  // fsync can take tens of milliseconds: never on the network thread. One lazily started daemon
  // thread for all caches, gone when idle.
  private static final ThreadPoolExecutor WRITER =
      new ThreadPoolExecutor(
          1,
          1,
          10,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, "dynconfig-cache");
            t.setDaemon(true);
            return t;
          });

  static {
    WRITER.allowCoreThreadTimeOut(true);
  }

  private final Path file;
  private final String source;
  private final Clock clock;
  private final AtomicReference<Pending> pending = new AtomicReference<>();
  private volatile boolean warned;
  private long lastWritten = Long.MIN_VALUE; // guarded by this

  /** A cache entry read back from disk. */
  public record Entry(byte[] content, long version, Instant savedAt) {
    /**
     * Whether it is younger than {@code maxAge} at {@code clock}'s now. A cache saved "in the
     * future" (a clock set wrong, or a planted file that would otherwise stay fresh for ever) is
     * stale.
     */
    public boolean isFresh(Clock clock, Duration maxAge) {
      Instant now = clock.instant();
      return !savedAt.isAfter(now) && !savedAt.plus(maxAge).isBefore(now);
    }
  }

  private record Pending(byte[] content, long version) {}

  public OfflineCache(Path file, String source, Clock clock) {
    this.file = file;
    this.source = source;
    this.clock = clock;
  }

  /**
   * The default location for a server URL: {@code ~/.dynconfig/cache/<sha-256 of the URL, 16 hex
   * digits>.json}. The URL's query (which might hold secrets) is not part of the name's input.
   */
  public static Path defaultFile(URI url) {
    String key = url.getScheme() + "://" + url.getAuthority() + url.getPath();
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      String name = HexFormat.of().formatHex(d, 0, 8) + ".json";
      return Path.of(System.getProperty("user.home"), ".dynconfig", "cache", name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path file() {
    return file;
  }

  /** Saves in the background; a burst of saves writes only the newest. Never throws. */
  public void save(byte[] content, long version) {
    if (pending.getAndSet(new Pending(content, version)) == null) {
      try {
        WRITER.execute(this::drain);
      } catch (RuntimeException e) {
        pending.set(null);
        warn("cannot schedule the cache write: " + e);
      }
    }
  }

  /** Saves now on the calling thread. Never throws; returns whether the file was written. */
  public boolean saveNow(byte[] content, long version) {
    try {
      ObjectNode root = MAPPER.createObjectNode();
      root.put("version", version);
      root.put("savedAt", clock.instant().toString());
      root.put("source", source);
      try {
        root.set("document", MAPPER.readTree(content));
      } catch (IOException notJson) {
        root.put("documentText", new String(content, StandardCharsets.UTF_8));
      }
      AtomicFiles.write(file, MAPPER.writeValueAsBytes(root), true);
      warned = false;
      return true;
    } catch (IOException | RuntimeException e) {
      warn(e.toString());
      return false;
    }
  }

  /**
   * Writes a pending background save now, on the calling thread (sources call it on close, so a
   * shutdown right after an update does not lose that version from the cache). Never throws.
   */
  public void flush() {
    drain();
  }

  // Serialised, and never writing a version older than one already written: the background writer
  // and flush() may race for two pending saves, and the older rename must not land last.
  private synchronized void drain() {
    Pending p = pending.getAndSet(null);
    if (p != null && p.version() >= lastWritten) {
      if (saveNow(p.content(), p.version())) {
        lastWritten = p.version();
      }
    }
  }

  private void warn(String why) {
    // Once per streak of failures: a read-only home would otherwise log on every update.
    if (!warned) {
      warned = true;
      log.warn(
          "Cannot write the offline cache {} ({}); serving continues, but a restart while the"
              + " server is down will not find this version. Set cacheFile to a writable path.",
          file,
          why);
    }
  }

  /** Reads the cache; empty when there is none, or when it is corrupt (reported in the log). */
  public Optional<Entry> load() {
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      log.warn("Cannot read the offline cache {}: {}; ignoring it", file, e.toString());
      return Optional.empty();
    }
    try {
      JsonNode root = MAPPER.readTree(raw);
      JsonNode doc = root.get("document");
      JsonNode text = root.get("documentText");
      if (!root.path("version").canConvertToLong()
          || !root.path("savedAt").isTextual()
          || (doc == null || !doc.isObject()) && (text == null || !text.isTextual())) {
        throw new IOException("expected {version, savedAt, document}");
      }
      byte[] content =
          doc != null && doc.isObject()
              ? MAPPER.writeValueAsBytes(doc)
              : text.asText().getBytes(StandardCharsets.UTF_8);
      return Optional.of(
          new Entry(
              content, root.get("version").asLong(), Instant.parse(root.get("savedAt").asText())));
    } catch (IOException | RuntimeException e) {
      log.warn("The offline cache {} is corrupt ({}); ignoring it", file, e.getMessage());
      return Optional.empty();
    }
  }
}
