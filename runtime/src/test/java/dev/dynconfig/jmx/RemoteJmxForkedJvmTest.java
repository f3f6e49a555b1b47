package dev.dynconfig.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's view: {@link JmxTestApp} runs in its own JVM with the JDK's remote JMX agent on a
 * loopback port; this test connects with {@link JMXConnectorFactory} like JConsole would, with
 * nothing but JDK classes on the client side of each call. Waits are bounded polls.
 */
class RemoteJmxForkedJvmTest {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final String DOC =
      """
      {"version": 1, "flags": [{"key": "new-dashboard", "defaultValue": false}]}
      """;

  @TempDir Path dir;
  Process child;
  final List<String> out = new CopyOnWriteArrayList<>();
  final List<String> err = new CopyOnWriteArrayList<>();
  Writer stdin;
  JMXConnector connector;

  @AfterEach
  void stop() throws Exception {
    if (connector != null) {
      try {
        connector.close();
      } catch (IOException e) {
        // the app is already gone
      }
    }
    if (child != null) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void operator_overridesAFlagRemotely_readsExactCounters_andSeesNewFlagsAppear() throws Exception {
    Path flags = dir.resolve("flags.json");
    Files.writeString(flags, DOC, StandardCharsets.UTF_8);
    int port = freePort();
    start(port, flags);
    await(() -> out.contains("READY"), "the app to start");
    MBeanServerConnection jmx = connect(port);
    ObjectName flag = JmxRegistration.flagName("new-dashboard");

    assertThat(eval("new-dashboard")).isFalse();

    jmx.setAttribute(flag, new Attribute("Override", "true"));
    assertThat(eval("new-dashboard")).isTrue();
    assertThat(jmx.getAttribute(JmxRegistration.engineName(), "Overrides").toString())
        .contains("new-dashboard");

    jmx.invoke(
        JmxRegistration.engineName(),
        "removeOverride",
        new Object[] {"new-dashboard"},
        new String[] {String.class.getName()});
    assertThat(eval("new-dashboard")).isFalse();

    jmx.setAttribute(flag, new Attribute("Override", "true"));
    assertThat(eval("new-dashboard")).isTrue();
    jmx.setAttribute(flag, new Attribute("Override", ""));
    assertThat(eval("new-dashboard")).isFalse();

    // Five evaluations made on command: false, true, false, true, false.
    assertThat(jmx.getAttribute(flag, "TrueCount")).isEqualTo(2L);
    assertThat(jmx.getAttribute(flag, "FalseCount")).isEqualTo(3L);

    // Every override change is in the app's log, with who made it.
    await(
        () ->
            err.stream().filter(l -> l.contains("JMX override of flag 'new-dashboard'")).count()
                == 4,
        "four audit lines for the override changes");
    assertThat(err).anyMatch(l -> l.contains("principal: anonymous"));

    // A flag added to the file gets its MBean (the app's file watcher reloads it).
    ObjectName late = JmxRegistration.flagName("late-flag");
    assertThat(jmx.isRegistered(late)).isFalse();
    Files.writeString(
        flags,
        """
        {"version": 2, "flags": [{"key": "new-dashboard", "defaultValue": false},
                                 {"key": "late-flag", "defaultValue": true}]}
        """,
        StandardCharsets.UTF_8);
    await(() -> isRegistered(jmx, late), "the MBean of late-flag to appear");
    assertThat(eval("late-flag")).isTrue();
    assertThat(jmx.getAttribute(late, "TrueCount")).isEqualTo(1L);

    connector.close();
    connector = null;
    stdin.write("quit\n");
    stdin.flush();
    await(() -> out.contains("BYE"), "the app to shut down");
    assertThat(child.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isZero();
  }

  @Test
  void authenticatedOperator_isNamedInTheAuditLog() throws Exception {
    Path flags = dir.resolve("flags.json");
    Files.writeString(flags, DOC, StandardCharsets.UTF_8);
    // The JDK refuses a password file that others can read.
    Path password = dir.resolve("jmxremote.password");
    Files.writeString(password, "operator s3cret\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
    Path access = dir.resolve("jmxremote.access");
    Files.writeString(access, "operator readwrite\n", StandardCharsets.UTF_8);
    int port = freePort();
    start(
        port,
        flags,
        "-Dcom.sun.management.jmxremote.authenticate=true",
        "-Dcom.sun.management.jmxremote.password.file=" + password,
        "-Dcom.sun.management.jmxremote.access.file=" + access);
    await(() -> out.contains("READY"), "the app to start");
    MBeanServerConnection jmx =
        connect(port, Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", "s3cret"}));

    jmx.setAttribute(JmxRegistration.flagName("new-dashboard"), new Attribute("Override", "true"));

    assertThat(eval("new-dashboard")).isTrue();
    await(
        () ->
            err.stream()
                .anyMatch(
                    l ->
                        l.contains("JMX override of flag 'new-dashboard'")
                            && l.contains("principal: operator")),
        "an audit line naming the operator");
  }

  private void start(int port, Path flags, String... extra) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("-Dcom.sun.management.jmxremote.port=" + port);
    cmd.add("-Dcom.sun.management.jmxremote.rmi.port=" + port);
    if (extra.length == 0) {
      cmd.add("-Dcom.sun.management.jmxremote.authenticate=false");
    }
    cmd.addAll(List.of(extra));
    cmd.add("-Dcom.sun.management.jmxremote.ssl=false");
    cmd.add("-Dcom.sun.management.jmxremote.host=127.0.0.1");
    cmd.add("-Djava.rmi.server.hostname=127.0.0.1");
    cmd.add(JmxTestApp.class.getName());
    cmd.add(flags.toString());
    child = new ProcessBuilder(cmd).directory(dir.toFile()).start();
    stdin = new java.io.OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
    pump(child.getInputStream(), out);
    pump(child.getErrorStream(), err);
  }

  private MBeanServerConnection connect(int port) throws Exception {
    return connect(port, Map.of());
  }

  private MBeanServerConnection connect(int port, Map<String, ?> env) throws Exception {
    JMXServiceURL url =
        new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      try {
        connector = JMXConnectorFactory.connect(url, env);
        return connector.getMBeanServerConnection();
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !child.isAlive()) {
          throw new AssertionError("could not connect to " + url + "; app stderr: " + err, e);
        }
        Thread.sleep(100);
      }
    }
  }

  /** Asks the app to evaluate a flag once and returns what it printed. */
  private boolean eval(String flagKey) throws Exception {
    int from = out.size();
    stdin.write("eval " + flagKey + "\n");
    stdin.flush();
    String prefix = "RESULT " + flagKey + " ";
    await(
        () -> linesSince(from).stream().anyMatch(l -> l.startsWith(prefix)),
        "the app's answer for " + flagKey);
    return linesSince(from).stream()
        .filter(l -> l.startsWith(prefix))
        .map(l -> Boolean.parseBoolean(l.substring(prefix.length())))
        .findFirst()
        .orElseThrow();
  }

  /**
   * The app's output lines from index {@code from} on. Copied first: a sub-list view of the
   * CopyOnWriteArrayList would throw ConcurrentModificationException as soon as the pump adds a
   * line.
   */
  private List<String> linesSince(int from) {
    List<String> all = List.copyOf(out);
    return all.subList(Math.min(from, all.size()), all.size());
  }

  private static boolean isRegistered(MBeanServerConnection jmx, ObjectName name) {
    try {
      return jmx.isRegistered(name);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out waiting for " + what + "\nstdout: " + out + "\nstderr: " + err);
      }
      if (!child.isAlive() && !condition.getAsBoolean()) {
        throw new AssertionError(
            "the app exited while waiting for " + what + "\nstdout: " + out + "\nstderr: " + err);
      }
      Thread.sleep(20);
    }
  }

  private static void pump(java.io.InputStream in, List<String> lines) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                  lines.add(l);
                }
              } catch (IOException e) {
                // the child ended
              }
            },
            "jmx-test-pump");
    t.setDaemon(true);
    t.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
