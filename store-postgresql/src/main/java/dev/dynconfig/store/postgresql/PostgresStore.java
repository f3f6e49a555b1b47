package dev.dynconfig.store.postgresql;

import dev.dynconfig.server.store.DocumentChange;
import dev.dynconfig.server.store.DocumentStore;
import dev.dynconfig.server.store.HistoryEntry;
import dev.dynconfig.server.store.StoreUnavailableException;
import dev.dynconfig.server.store.StoredDocument;
import dev.dynconfig.server.store.VersionConflictException;
import dev.dynconfig.server.store.WriteContext;
import dev.dynconfig.server.store.WriteRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A document kept in PostgreSQL and shared by every server that opens it.
 *
 * <p>A write is one transaction: the document's row is read {@code FOR UPDATE}, the change is
 * applied (and validated by the caller's {@link DocumentChange}), the version becomes {@code
 * version + 1}, a history row is inserted, {@code NOTIFY dynconfig '<version>'} is queued, and the
 * write completes only after the commit. Writes of this server run one at a time on the thread
 * {@code dynconfig-pg-writer}, on one connection; writes of different servers take turns on the row
 * lock.
 *
 * <p>The thread {@code dynconfig-pg-listen} holds a second connection that {@code LISTEN}s; on a
 * notification, every {@code safetyPoll} (a lost notification) and after every reconnect (changes
 * made while it was away) it reads the row and hands a newer version to {@code onNewer}, in
 * strictly increasing order. While the database is unreachable the last document keeps being served
 * ({@link #current()}), {@link #available()} is false, writes fail with {@link
 * StoreUnavailableException}, and the listener reconnects on its own.
 */
public final class PostgresStore implements DocumentStore {
  private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);

  /** The notification channel; the payload is the new version. */
  public static final String CHANNEL = "dynconfig";

  /** The document every server serves today (the table has room for more). */
  public static final String DEFAULT_DOCUMENT = "default";

  /** History rows kept per document. */
  public static final int HISTORY_KEPT = 1000;

  private final PostgresLocation location;
  private final String document;
  private final Consumer<StoredDocument> onNewer;
  private final Duration safetyPoll;
  private final ExecutorService writer;
  private final Thread listener;
  private final Object publishLock = new Object();
  private volatile StoredDocument current;
  private volatile boolean available;
  private volatile String problem;
  private volatile boolean closed;
  private volatile Connection listenConnection;
  // Writer thread only.
  private Connection writeConnection;

  private PostgresStore(
      PostgresLocation location,
      String document,
      Consumer<StoredDocument> onNewer,
      Duration safetyPoll) {
    this.location = location;
    this.document = document;
    this.onNewer = onNewer;
    this.safetyPoll = safetyPoll;
    this.writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "dynconfig-pg-writer");
              t.setDaemon(true);
              return t;
            });
    this.listener = new Thread(this::listenLoop, "dynconfig-pg-listen");
    this.listener.setDaemon(true);
  }

  /**
   * Migrates the schema, creates the document with {@code initial} if it does not exist yet, reads
   * it, and starts listening. Keeps trying to reach the database for up to {@code startTimeout}
   * (servers and their database often start together).
   *
   * @param initial builds version 1 when the document is new
   * @param onNewer receives every newer version, whichever server wrote it (not called for the
   *     version read here); called on the store's threads, in increasing version order
   * @throws StoreUnavailableException when the database cannot be reached in time
   */
  public static PostgresStore open(
      PostgresLocation location,
      String document,
      DocumentChange initial,
      Consumer<StoredDocument> onNewer,
      Duration safetyPoll,
      Duration startTimeout)
      throws StoreUnavailableException, Exception {
    PostgresStore store = new PostgresStore(location, document, onNewer, safetyPoll);
    long deadline = System.nanoTime() + startTimeout.toNanos();
    long pause = 100;
    while (true) {
      try {
        store.current = store.writer.submit(() -> store.prepare(initial)).get();
        break;
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause();
        if (!(cause instanceof SQLException sql) || !isConnectionProblem(sql)) {
          store.close();
          throw cause instanceof Exception ex ? ex : new IllegalStateException(cause);
        }
        if (System.nanoTime() > deadline) {
          store.close();
          throw new StoreUnavailableException(
              "cannot reach PostgreSQL at "
                  + location
                  + " ("
                  + sql.getMessage()
                  + "); is it running, and are the host, user and password right?",
              sql);
        }
        log.info("PostgreSQL at {} not reachable yet ({}); retrying", location, sql.getMessage());
        Thread.sleep(pause);
        pause = Math.min(pause * 2, 2000);
      }
    }
    store.available = true;
    store.listener.start();
    return store;
  }

  @Override
  public String kind() {
    return "postgresql";
  }

  /** The newest version this server has seen; kept while the database is down. */
  @Override
  public StoredDocument current() {
    return current;
  }

  /** False while the database cannot be reached (writes fail, reads serve {@link #current()}). */
  @Override
  public boolean available() {
    return available && !closed;
  }

  /** Why the store is unavailable, or null. */
  public String problem() {
    return available() ? null : problem;
  }

  /** Where the database is (no secrets). */
  public PostgresLocation location() {
    return location;
  }

  /**
   * Runs {@code request} as one transaction on the writer thread. Completes with the committed
   * version, or exceptionally with {@link StoreUnavailableException} (nothing acknowledged, may or
   * may not have been committed if the connection broke during the commit), {@link
   * VersionConflictException}, or whatever the change threw (nothing changed).
   */
  @Override
  public CompletableFuture<StoredDocument> submit(WriteRequest request) {
    CompletableFuture<StoredDocument> result = new CompletableFuture<>();
    try {
      writer.execute(
          () -> {
            try {
              result.complete(write(request));
            } catch (Throwable t) {
              result.completeExceptionally(t);
            }
          });
    } catch (RuntimeException rejected) {
      result.completeExceptionally(
          new StoreUnavailableException("the store is shutting down", rejected));
    }
    return result;
  }

  @Override
  public CompletableFuture<List<HistoryEntry>> history(int limit, long beforeVersion) {
    return onWriter(c -> readHistory(c, limit, beforeVersion, Long.MIN_VALUE, true));
  }

  @Override
  public CompletableFuture<Long> historyCoveredFrom() {
    return onWriter(this::coveredFrom);
  }

  private <T> CompletableFuture<T> onWriter(ConnectionWork<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      writer.execute(
          () -> {
            try {
              result.complete(withWriteConnection(work));
            } catch (Throwable t) {
              result.completeExceptionally(t);
            }
          });
    } catch (RuntimeException rejected) {
      result.completeExceptionally(
          new StoreUnavailableException("the store is shutting down", rejected));
    }
    return result;
  }

  private long coveredFrom(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT coalesce(min(version), 1) - 1 FROM dynconfig_history WHERE document = ?")) {
      s.setString(1, document);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private StoredDocument prepare(DocumentChange initial) throws Exception {
    Connection c = writeConnection();
    int applied = Migrations.migrate(c);
    if (applied > 0) {
      log.info("Migrated the dynconfig schema in {} ({} step(s))", location, applied);
    }
    c.setAutoCommit(false);
    try {
      StoredDocument cur = lockRow(c);
      if (cur == null) {
        byte[] bytes = initial.apply(null, 1, new Context(c, "created"));
        try (PreparedStatement ins =
            c.prepareStatement(
                "INSERT INTO dynconfig_document (name, version, content) VALUES (?, 1, ?)"
                    + " ON CONFLICT (name) DO NOTHING")) {
          ins.setString(1, document);
          ins.setString(2, text(bytes));
          if (ins.executeUpdate() == 1) {
            insertHistory(c, 1, "dynconfig", "server", "created", null, bytes);
            log.info("Created document '{}' in {} (version 1)", document, location);
          }
        }
        cur = lockRow(c);
      }
      c.commit();
      return cur;
    } catch (Exception e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private StoredDocument write(WriteRequest req) throws Exception {
    for (int attempt = 1; ; attempt++) {
      Connection c;
      try {
        c = writeConnection();
      } catch (SQLException e) {
        throw unavailable("cannot reach PostgreSQL at " + location, e);
      }
      boolean committing = false;
      try {
        c.setAutoCommit(false);
        StoredDocument cur = lockRow(c);
        if (cur == null) {
          throw new IllegalStateException(
              "document '" + document + "' is missing from dynconfig_document in " + location);
        }
        if (req.ifMatch() != null && req.ifMatch() != cur.version()) {
          c.rollback();
          c.setAutoCommit(true);
          throw new VersionConflictException(req.ifMatch(), cur.version());
        }
        long next = Math.max(cur.version() + 1, req.minVersion());
        Context context = new Context(c, req.description());
        byte[] after = req.change().apply(cur, next, context);
        try (PreparedStatement up =
            c.prepareStatement(
                "UPDATE dynconfig_document SET version = ?, content = ?, updated_at = now()"
                    + " WHERE name = ?")) {
          up.setLong(1, next);
          up.setString(2, text(after));
          up.setString(3, document);
          up.executeUpdate();
        }
        insertHistory(
            c, next, req.principal(), req.source(), context.description, cur.bytes(), after);
        try (PreparedStatement trim =
            c.prepareStatement(
                "DELETE FROM dynconfig_history WHERE document = ? AND version <= ?")) {
          trim.setString(1, document);
          trim.setLong(2, next - HISTORY_KEPT);
          trim.executeUpdate();
        }
        try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
          notify.setString(1, CHANNEL);
          notify.setString(2, Long.toString(next));
          notify.execute();
        }
        committing = true;
        c.commit();
        c.setAutoCommit(true);
        StoredDocument done = new StoredDocument(next, after);
        available = true;
        publishIfNewer(done);
        return done;
      } catch (SQLException e) {
        if (!isConnectionProblem(e) && !brokenConnection(c)) {
          rollbackQuietly(c);
          throw e;
        }
        closeWriteConnection();
        // A connection that went stale while the database restarted fails on first use, before
        // anything was sent for this write: one retry on a fresh connection. A failure during the
        // commit leaves the outcome unknown, so it is never retried (nor acknowledged).
        if (committing || attempt >= 2) {
          throw unavailable(
              committing
                  ? "the connection to " + location + " broke during the commit"
                  : "PostgreSQL at " + location + " failed",
              e);
        }
      } catch (Exception | Error e) {
        rollbackQuietly(c);
        throw e;
      }
    }
  }

  private StoreUnavailableException unavailable(String what, SQLException e) {
    available = false;
    problem = what + ": " + e.getMessage();
    log.warn("{}; the write was not acknowledged", problem);
    return new StoreUnavailableException(problem, e);
  }

  private StoredDocument lockRow(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT version, content FROM dynconfig_document WHERE name = ? FOR UPDATE")) {
      s.setString(1, document);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? new StoredDocument(rs.getLong(1), bytes(rs.getString(2))) : null;
      }
    }
  }

  private void insertHistory(
      Connection c,
      long version,
      String principal,
      String source,
      String change,
      byte[] before,
      byte[] after)
      throws SQLException {
    try (PreparedStatement h =
        c.prepareStatement(
            "INSERT INTO dynconfig_history"
                + " (document, version, principal, source, change, before, after)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      h.setString(1, document);
      h.setLong(2, version);
      h.setString(3, principal);
      h.setString(4, source);
      h.setString(5, change);
      h.setString(6, before == null ? null : text(before));
      h.setString(7, text(after));
      h.executeUpdate();
    }
  }

  private List<HistoryEntry> readHistory(
      Connection c, int limit, long below, long above, boolean documents) throws SQLException {
    List<HistoryEntry> out = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT version, principal, source, change, at, "
                + (documents ? "before, after" : "NULL, NULL")
                + " FROM dynconfig_history WHERE document = ? AND version < ? AND version > ?"
                + " ORDER BY version DESC LIMIT ?")) {
      s.setString(1, document);
      s.setLong(2, below);
      s.setLong(3, above);
      s.setInt(4, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String before = rs.getString(6);
          out.add(
              new HistoryEntry(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getTimestamp(5).toInstant(),
                  before == null ? null : bytes(before),
                  rs.getString(7) == null ? null : bytes(rs.getString(7))));
        }
      }
    }
    return out;
  }

  /** The history as the write's own transaction sees it. */
  private final class Context implements WriteContext {
    private final Connection connection;
    private String description;

    Context(Connection connection, String description) {
      this.connection = connection;
      this.description = description;
    }

    @Override
    public List<HistoryEntry> historyAfter(long version) throws SQLException {
      return readHistory(connection, Integer.MAX_VALUE, Long.MAX_VALUE, version, false);
    }

    @Override
    public long historyCoveredFrom() throws SQLException {
      return coveredFrom(connection);
    }

    @Override
    public void describe(String change) {
      this.description = Objects.requireNonNull(change, "change");
    }
  }

  private interface ConnectionWork<T> {
    T run(Connection c) throws SQLException;
  }

  /** Writer thread: runs {@code work}, once more on a fresh connection if the old one was stale. */
  private <T> T withWriteConnection(ConnectionWork<T> work) throws StoreUnavailableException {
    for (int attempt = 1; ; attempt++) {
      try {
        return work.run(writeConnection());
      } catch (SQLException e) {
        closeWriteConnection();
        if (attempt >= 2) {
          throw unavailable("PostgreSQL at " + location + " failed", e);
        }
      }
    }
  }

  private Connection writeConnection() throws SQLException {
    if (writeConnection == null) {
      writeConnection = location.connect("dynconfig-server");
    }
    return writeConnection;
  }

  private void closeWriteConnection() {
    Connection c = writeConnection;
    writeConnection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already broken
      }
    }
  }

  private void listenLoop() {
    long pause = 100;
    while (!closed) {
      try (Connection c = location.connect("dynconfig-server-listen")) {
        listenConnection = c;
        try (var s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        // Changes made while we were away are read now, before waiting for notifications.
        refresh(c);
        if (!available) {
          log.info("PostgreSQL at {} is reachable again (version {})", location, version());
        }
        available = true;
        problem = null;
        pause = 100;
        PGConnection pg = c.unwrap(PGConnection.class);
        int waitMs = (int) Math.max(1, safetyPoll.toMillis());
        while (!closed) {
          // Returns on a notification or after waitMs: both end in a read (the safety poll).
          pg.getNotifications(waitMs);
          refresh(c);
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        if (available) {
          log.warn(
              "Lost PostgreSQL at {} ({}); serving version {} until it is back",
              location,
              e.getMessage(),
              version());
        }
        available = false;
        problem = "PostgreSQL at " + location + " unreachable: " + e.getMessage();
        try {
          Thread.sleep(pause);
        } catch (InterruptedException ie) {
          return;
        }
        pause = Math.min(pause * 2, 2000);
      } finally {
        listenConnection = null;
      }
    }
  }

  /** Reads the row if it is newer than what this server holds, and publishes it. */
  private void refresh(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT version, content FROM dynconfig_document WHERE name = ? AND version > ?")) {
      s.setString(1, document);
      s.setLong(2, version());
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          publishIfNewer(new StoredDocument(rs.getLong(1), bytes(rs.getString(2))));
        }
      }
    }
  }

  private long version() {
    StoredDocument d = current;
    return d == null ? 0 : d.version();
  }

  /** Both threads publish; the lock keeps what {@code onNewer} sees strictly increasing. */
  private void publishIfNewer(StoredDocument d) {
    synchronized (publishLock) {
      if (d.version() <= version()) {
        return;
      }
      current = d;
      try {
        onNewer.accept(d);
      } catch (RuntimeException e) {
        log.warn("Publishing version {} failed", d.version(), e);
      }
    }
  }

  @Override
  public String toString() {
    return location + " (document '" + document + "')";
  }

  /** Stops listening and writing; closes both connections. Idempotent. */
  @Override
  public void close() {
    closed = true;
    Connection l = listenConnection;
    if (l != null) {
      try {
        l.abort(Runnable::run); // unblocks getNotifications at once
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
    listener.interrupt();
    writer.execute(this::closeWriteConnection);
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
      listener.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean brokenConnection(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException ignored) {
      // the connection is gone; the database rolls back on its own
    }
  }

  /**
   * Connection-level failures (SQLSTATE class 08, or the server shutting down: 57P01..57P03): worth
   * a reconnect, unlike a constraint violation or a syntax error.
   */
  static boolean isConnectionProblem(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = Objects.requireNonNullElse(s.getSQLState(), "");
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
