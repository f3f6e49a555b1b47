package dev.dynconfig.store.postgresql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;

/**
 * Where the database is and how to log in: {@code postgresql://host:5432/db?user=dynconfig} (any
 * further pgjdbc parameter such as {@code sslmode} or {@code currentSchema} may follow). The
 * password never comes from the URL, which would show in the process list: it is {@code
 * DYNCONFIG_DB_PASSWORD}, else pgjdbc's own {@code .pgpass} lookup ({@code PGPASSFILE}, else {@code
 * ~/.pgpass}; format {@code host:port:db:user:password}).
 */
public final class PostgresLocation {
  private final String jdbcUrl;
  private final String display;
  private final String password;

  private PostgresLocation(String jdbcUrl, String display, String password) {
    this.jdbcUrl = jdbcUrl;
    this.display = display;
    this.password = password;
  }

  /**
   * @param url {@code postgresql://…} or {@code postgres://…}
   * @param password from {@code DYNCONFIG_DB_PASSWORD}, or null to let pgjdbc read {@code .pgpass}
   * @throws IllegalArgumentException when the URL is not a PostgreSQL URL or carries a password
   */
  public static PostgresLocation parse(String url, String password) {
    String u = url.trim();
    String rest;
    if (u.startsWith("postgresql://")) {
      rest = u.substring("postgresql://".length());
    } else if (u.startsWith("postgres://")) {
      rest = u.substring("postgres://".length());
    } else {
      throw new IllegalArgumentException(
          "'" + url + "' is not a PostgreSQL URL: use postgresql://host:5432/database?user=name");
    }
    int at = rest.indexOf('@');
    int slash = rest.indexOf('/');
    if (at >= 0 && (slash < 0 || at < slash)) {
      throw new IllegalArgumentException(
          "the store URL must not contain credentials (they would show in the process list):"
              + " use postgresql://host:5432/database?user=name and put the password in"
              + " DYNCONFIG_DB_PASSWORD or a .pgpass file (PGPASSFILE)");
    }
    int q = rest.indexOf('?');
    if (q >= 0) {
      for (String param : rest.substring(q + 1).split("&")) {
        String name = param.split("=", 2)[0].toLowerCase(Locale.ROOT);
        if (name.equals("password")) {
          throw new IllegalArgumentException(
              "the store URL must not contain password= (it would show in the process list):"
                  + " put the password in DYNCONFIG_DB_PASSWORD or a .pgpass file (PGPASSFILE)");
        }
      }
    }
    if (slash <= 0) {
      throw new IllegalArgumentException(
          "'"
              + url
              + "' names no host and database: use postgresql://host:5432/database?user=name");
    }
    String pw = password == null || password.isEmpty() ? null : password;
    return new PostgresLocation("jdbc:postgresql://" + rest, "postgresql://" + rest, pw);
  }

  /** Opens one connection (autocommit on), with timeouts so a dead database is noticed. */
  Connection connect(String applicationName) throws SQLException {
    Properties p = new Properties();
    if (password != null) {
      p.setProperty("password", password);
    }
    // Connect quickly or report the store unavailable; reads and writes take milliseconds, so a
    // socket silent for 30 s is a dead one (a half-open connection otherwise blocks forever).
    p.setProperty("connectTimeout", "5");
    p.setProperty("socketTimeout", "30");
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("ApplicationName", applicationName);
    // The driver is instantiated directly rather than found through DriverManager: inside the
    // shaded jar it is relocated, and DriverManager would also see an application's own driver.
    Connection c = new org.postgresql.Driver().connect(jdbcUrl, p);
    if (c == null) {
      throw new SQLException("pgjdbc refused the URL " + display);
    }
    return c;
  }

  @Override
  public String toString() {
    return display;
  }
}
