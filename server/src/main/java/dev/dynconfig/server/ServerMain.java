package dev.dynconfig.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Command line: {@code serve --file flags.json --port 8080 --read-token R --admin-token A
 * [--tls-cert cert.pem --tls-key key.pem] [--host 127.0.0.1]}, or {@code --store
 * postgresql://host:5432/db?user=name} instead of {@code --file} (several servers on one database;
 * the password from {@code DYNCONFIG_DB_PASSWORD} or {@code .pgpass}, never on the command line).
 * The leading {@code serve} is optional. Tokens may also come from {@code DYNCONFIG_READ_TOKEN} /
 * {@code DYNCONFIG_ADMIN_TOKEN} so they do not show in the process list.
 */
public final class ServerMain {
  private ServerMain() {}

  static final String USAGE =
      "usage: serve --file flags.json [--port 8080] [--host 0.0.0.0]\n"
          + "       (or --store postgresql://host:5432/db?user=name instead of --file; password:\n"
          + "        DYNCONFIG_DB_PASSWORD or a .pgpass file, PGPASSFILE)\n"
          + "             [--users users.json] [--read-token R] [--admin-token A]\n"
          + "             [--tls-cert cert.pem --tls-key key.pem] [--max-body-bytes 1048576]\n"
          + "             [--max-frame-bytes 65536] [--ping-interval-ms 15000]\n"
          + "             [--max-connections 10000] [--max-connections-per-address 1000]\n"
          + "             [--head-timeout-ms 10000]\n"
          + "             [--history-size 1000] [--session-minutes 480] [--stale-after-days 14]\n"
          + "  tokens may instead be given as DYNCONFIG_READ_TOKEN / DYNCONFIG_ADMIN_TOKEN, the users\n"
          + "  file (path or JSON) as DYNCONFIG_USERS; print a users.json entry with 'hash-token'";

  public static void main(String[] args) throws Exception {
    DynconfigServer server;
    try {
      server =
          parse(
                  args,
                  System.getenv("DYNCONFIG_READ_TOKEN"),
                  System.getenv("DYNCONFIG_ADMIN_TOKEN"),
                  System.getenv("DYNCONFIG_USERS"))
              .build();
    } catch (IllegalArgumentException e) {
      System.err.println("dynconfig serve: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    try {
      server.start();
    } catch (Exception e) {
      System.err.println("dynconfig serve: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "dynconfig-server-shutdown"));
    stopped.await();
  }

  static DynconfigServer.Builder parse(String[] argv, String envRead, String envAdmin) {
    return parse(argv, envRead, envAdmin, null);
  }

  static DynconfigServer.Builder parse(
      String[] argv, String envRead, String envAdmin, String envUsers) {
    List<String> args = new ArrayList<>(Arrays.asList(argv));
    if (!args.isEmpty() && args.get(0).equals("serve")) {
      args.remove(0);
    }
    DynconfigServer.Builder b = DynconfigServer.builder();
    Path cert = null;
    Path key = null;
    String read = envRead;
    String admin = envAdmin;
    String users = envUsers;
    boolean file = false;
    boolean store = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String name = a;
      String value;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new IllegalArgumentException(a + " needs a value");
      }
      switch (name) {
        case "--file" -> {
          b.file(Path.of(value));
          file = true;
        }
        case "--store" -> {
          b.store(value);
          store = true;
        }
        case "--port" -> b.port(intArg(name, value));
        case "--host" -> b.host(value);
        case "--read-token" -> read = value;
        case "--admin-token" -> admin = value;
        case "--users" -> users = value;
        case "--history-size" -> b.historySize(intArg(name, value));
        case "--session-minutes" -> b.sessionTimeout(Duration.ofMinutes(intArg(name, value)));
        case "--tls-cert" -> cert = Path.of(value);
        case "--tls-key" -> key = Path.of(value);
        case "--max-body-bytes" -> b.maxBodyBytes(intArg(name, value));
        case "--max-frame-bytes" -> b.maxFrameBytes(intArg(name, value));
        case "--ping-interval-ms" -> b.pingInterval(Duration.ofMillis(intArg(name, value)));
        case "--max-connections" -> b.maxConnections(intArg(name, value));
        case "--max-connections-per-address" -> b.maxConnectionsPerAddress(intArg(name, value));
        case "--head-timeout-ms" -> b.headTimeout(Duration.ofMillis(intArg(name, value)));
        case "--stale-after-days" -> b.staleAfter(Duration.ofDays(intArg(name, value)));
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (file == store) {
      throw new IllegalArgumentException(
          file ? "--file and --store exclude each other" : "--file or --store is required");
    }
    if (users == null && (read == null || admin == null)) {
      throw new IllegalArgumentException(
          "--users users.json, or --read-token and --admin-token, are required");
    }
    if (users != null) {
      boolean inline = users.strip().startsWith("{");
      try {
        b.users(Principals.readUsers(users), inline ? "DYNCONFIG_USERS" : users);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("cannot read the users file " + users + ": " + e);
      }
    }
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    return b.readToken(read).adminToken(admin).tls(cert, key);
  }

  private static int intArg(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a number, got '" + value + "'");
    }
  }
}
