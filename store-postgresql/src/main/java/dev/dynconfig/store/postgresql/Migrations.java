package dev.dynconfig.store.postgresql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema, as numbered steps applied once each. Every server runs {@link #migrate} at start; a
 * transaction-scoped advisory lock makes concurrent starts take turns, so the second one finds the
 * steps already applied (without it, two {@code CREATE TABLE IF NOT EXISTS} can still collide in
 * the catalog).
 */
final class Migrations {
  /** pg_advisory_xact_lock key: "dynconf" in ASCII. */
  static final long LOCK_KEY = 0x64796e636f6e66L;

  private static final List<String> STEPS =
      List.of(
          // 1: one row per document (room for several documents or environments), and the
          // history of every accepted write with the full document before and after.
          """
          CREATE TABLE dynconfig_document (
            name       text PRIMARY KEY,
            version    bigint NOT NULL CHECK (version > 0),
            content    text NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now()
          );
          CREATE TABLE dynconfig_history (
            document   text NOT NULL REFERENCES dynconfig_document (name) ON DELETE CASCADE,
            version    bigint NOT NULL,
            principal  text NOT NULL,
            source     text NOT NULL,
            change     text NOT NULL,
            at         timestamptz NOT NULL DEFAULT now(),
            before     text,
            after      text NOT NULL,
            PRIMARY KEY (document, version)
          );
          """);

  private Migrations() {}

  /** The schema version this code knows. */
  static int latest() {
    return STEPS.size();
  }

  /**
   * Brings the schema to {@link #latest()}; returns how many steps this call applied (0 when
   * another server already did). Leaves {@code c} in autocommit mode.
   */
  static int migrate(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      s.execute(
          "CREATE TABLE IF NOT EXISTS dynconfig_schema_version ("
              + "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
      int have;
      try (ResultSet rs =
          s.executeQuery("SELECT coalesce(max(version), 0) FROM dynconfig_schema_version")) {
        rs.next();
        have = rs.getInt(1);
      }
      if (have > STEPS.size()) {
        throw new SQLException(
            "the database schema is at version "
                + have
                + " but this dynconfig server knows only up to "
                + STEPS.size()
                + ": upgrade the server (an older server must not write a newer schema)");
      }
      for (int step = have + 1; step <= STEPS.size(); step++) {
        s.execute(STEPS.get(step - 1));
        s.execute("INSERT INTO dynconfig_schema_version (version) VALUES (" + step + ")");
      }
      c.commit();
      return STEPS.size() - have;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }
}
