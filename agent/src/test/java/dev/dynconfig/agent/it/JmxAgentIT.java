package dev.dynconfig.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.jmx.JmxRegistration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JMX under the agent, as an operator uses it: the app runs with the real agent jar (JMX on by
 * default, registered late) and remote JMX on a loopback port; the test connects with {@link
 * JMXConnectorFactory} and drives the app over stdin so every count is exact.
 */
class JmxAgentIT {
  private static final String FLAG_ONLY =
      """
      {"version": 1, "flags": [{"key": "new-pricing", "defaultValue": false}]}
      """;

  @TempDir Path dir;
  private Path flags;

  @BeforeEach
  void setUp() throws Exception {
    Fixtures.assumeEngine();
    flags = dir.resolve("flags.json");
    Fixtures.write(flags, FLAG_ONLY);
  }

  @Test
  void operator_flipsARewrittenMethod_overJmx_andReadsExactCountsAndGuardedMethods()
      throws Exception {
    try (RemoteJmx remote = new RemoteJmx();
        ChildJvm app = ChildJvm.start(dir, jvm(remote))) {
      assertThat(app.awaitOut(0, l -> l.startsWith("first price="), "first call"))
          .isEqualTo("first price=legacy");
      ObjectName flag = JmxRegistration.flagName("new-pricing");
      ObjectName engine = JmxRegistration.engineName();
      // Waits for the flag's MBean too (registered after jmxDelay).
      MBeanServerConnection jmx = remote.connect(app, flag);

      // The flag's own Override attribute: set, then clear.
      jmx.setAttribute(flag, new Attribute("Override", "true"));
      assertThat(app.ask("price", "price=")).isEqualTo("price=new");
      jmx.setAttribute(flag, new Attribute("Override", ""));
      assertThat(app.ask("price", "price=")).isEqualTo("price=legacy");

      // The engine MBean's operations: setOverride, then removeOverride.
      jmx.invoke(
          engine,
          "setOverride",
          new Object[] {"new-pricing", true},
          new String[] {String.class.getName(), "boolean"});
      assertThat(app.ask("price", "price=")).isEqualTo("price=new");
      assertThat(jmx.getAttribute(engine, "Overrides").toString()).contains("new-pricing");
      jmx.invoke(
          engine,
          "removeOverride",
          new Object[] {"new-pricing"},
          new String[] {"java.lang.String"});
      assertThat(app.ask("price", "price=")).isEqualTo("price=legacy");

      // first call + four asked: legacy, new, legacy, new, legacy.
      assertThat(jmx.getAttribute(flag, "TrueCount")).isEqualTo(2L);
      assertThat(jmx.getAttribute(flag, "FalseCount")).isEqualTo(3L);
      assertThat((String[]) jmx.getAttribute(flag, "GuardedMethods"))
          .as("refused() carries the flag too, but its annotation is refused: not listed")
          .containsExactly("com.acme.itapp.Checkout#price()");
    }
  }

  @Test
  void flagAndTestAddedToTheFile_getTheirMBeans_andAnUnknownTestIsLoggedOnce() throws Exception {
    try (RemoteJmx remote = new RemoteJmx();
        ChildJvm app = ChildJvm.start(dir, jvm(remote))) {
      app.awaitOut(0, l -> l.startsWith("first price="), "first call");
      // The test is not in the file yet: the entry body runs, and the agent says why, once.
      assertThat(app.ask("steps user-1", "steps user-1=")).isEqualTo("steps user-1=3");
      assertThat(app.ask("steps user-2", "steps user-2=")).isEqualTo("steps user-2=3");
      app.awaitErr(
          l -> l.contains("test 'checkout-experiment' is not defined"), "unknown-test log line");
      assertThat(app.err.stream().filter(l -> l.contains("'checkout-experiment' is not defined")))
          .as(app.dump())
          .hasSize(1)
          .allMatch(l -> l.contains("com.acme.itapp.Checkout#steps()"));

      MBeanServerConnection jmx = remote.connect(app, JmxRegistration.flagName("new-pricing"));
      ObjectName late = JmxRegistration.flagName("late-flag");
      ObjectName test = JmxRegistration.testName("checkout-experiment");
      assertThat(jmx.isRegistered(late)).isFalse();
      assertThat(jmx.isRegistered(test)).isFalse();

      Fixtures.write(
          flags,
          Fixtures.document(2, true, 1500, 0, 100, 0)
              .replace(
                  "\"flags\": [",
                  "\"flags\": [{\"key\": \"late-flag\", \"defaultValue\": true}, "));
      await(app, () -> registered(jmx, late) && registered(jmx, test), "the new MBeans");
      assertThat((String[]) jmx.getAttribute(test, "GuardedMethods"))
          .containsExactly("com.acme.itapp.Checkout#steps()");
      assertThat(app.ask("steps user-1", "steps user-1=")).isEqualTo("steps user-1=2");
      assertThat(app.ask("price", "price=")).isEqualTo("price=new");
    }
  }

  private List<String> jvm(RemoteJmx remote) throws Exception {
    List<String> args = new ArrayList<>();
    args.add("-javaagent:" + ChildJvm.AGENT_JAR.toAbsolutePath() + "=file=flags.json");
    args.addAll(remote.jvmArgs());
    args.add("-cp");
    args.add(Fixtures.appClasspath("current"));
    args.add("com.acme.itapp.CommandApp");
    return args;
  }

  private static boolean registered(MBeanServerConnection jmx, ObjectName name) {
    try {
      return jmx.isRegistered(name);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void await(ChildJvm app, BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + ChildJvm.TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "\n" + app.dump());
      }
      Thread.sleep(50);
    }
  }
}
