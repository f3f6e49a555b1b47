package dev.dynconfig.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.jmx.JmxRegistration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a JVM under the agent tells its operator about its own sites: mistyped keys are logged and
 * listed in JMX, calls without a user id are counted and explained. Driven over stdin ({@code
 * FleetApp}), so every count is exact.
 */
class InsightAgentIT {
  private static final String DOCUMENT =
      """
      {"version": 1,
       "flags": [{"key": "new-pricing", "defaultValue": true},
                 {"key": "gradual", "defaultValue": false, "rolloutPercentage": 100}],
       "tests": [{"id": "checkout-experiment", "status": "running",
                  "variants": [{"id": "control", "isControl": true}, {"id": "variant-a"}],
                  "allocation": {"control": 0, "variant-a": 100}}],
       "config": {"checkout": {"timeoutMs": 1500}}}
      """;

  @TempDir Path dir;
  private Path flags;

  @BeforeEach
  void setUp() throws Exception {
    Fixtures.assumeEngine();
    flags = dir.resolve("flags.json");
    Fixtures.write(flags, DOCUMENT);
  }

  @Test
  void mistypedKeys_logOneWarningPerMethod_withTheClosestKey_andAreListedInJmx() throws Exception {
    try (RemoteJmx remote = new RemoteJmx();
        ChildJvm app = ChildJvm.start(dir, jvm(remote))) {
      app.awaitOut(0, "ready"::equals, "start");
      for (int i = 0; i < 3; i++) {
        assertThat(app.ask("typos", "typos=")).isEqualTo("typos=legacy,3,1000");
      }
      app.awaitErr(l -> l.contains("timeoutMS"), "the config key's warning");
      assertThat(warnings(app, "new-pricnig"))
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l)
                      .contains("WARN")
                      .contains("@Toggle com.acme.itapp.Typos#price()")
                      .contains("flag 'new-pricnig' is not defined")
                      .contains("closest existing key: 'new-pricing'"));
      assertThat(warnings(app, "checkout-experimnet"))
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l)
                      .contains("@Variant com.acme.itapp.Typos#steps()")
                      .contains("closest existing key: 'checkout-experiment'"));
      assertThat(warnings(app, "checkout.timeoutMS"))
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l)
                      .contains("@ConfigValue com.acme.itapp.Typos#timeoutMs()")
                      .contains("closest existing key: 'checkout.timeoutMs'"));

      MBeanServerConnection jmx = remote.connect(app, JmxRegistration.engineName());
      Map<String, List<String>> unknown = unknownKeys(jmx);
      assertThat(unknown)
          .containsOnly(
              Map.entry("new-pricnig", List.of("com.acme.itapp.Typos#price()")),
              Map.entry("checkout-experimnet", List.of("com.acme.itapp.Typos#steps()")),
              Map.entry("checkout.timeoutMS", List.of("com.acme.itapp.Typos#timeoutMs()")));
    }
  }

  @Test
  void aKeyThatDisappears_isReportedAgain_andLeavesJmxWhenItReturns() throws Exception {
    try (RemoteJmx remote = new RemoteJmx();
        ChildJvm app = ChildJvm.start(dir, jvm(remote))) {
      app.awaitOut(0, "ready"::equals, "start");
      assertThat(app.ask("price", "price=")).isEqualTo("price=new");
      assertThat(warnings(app, "'new-pricing'")).isEmpty();

      Fixtures.write(
          flags,
          DOCUMENT.replace("\"version\": 1", "\"version\": 2").replace("new-pricing", "renamed"));
      app.askUntil("price", "price=legacy", "the flag's removal");
      app.askUntil("price", "price=legacy", "a second call");
      app.awaitErr(l -> l.contains("'new-pricing' is no longer defined"), "the disappearance");
      assertThat(warnings(app, "'new-pricing'"))
          .singleElement()
          .satisfies(l -> assertThat(l).contains("@Toggle com.acme.itapp.Checkout#price()"));
      MBeanServerConnection jmx = remote.connect(app, JmxRegistration.engineName());
      assertThat(unknownKeys(jmx))
          .containsEntry("new-pricing", List.of("com.acme.itapp.Checkout#price()"));

      Fixtures.write(flags, DOCUMENT.replace("\"version\": 1", "\"version\": 3"));
      app.askUntil("price", "price=new", "the flag's return");
      assertThat(unknownKeys(jmx)).doesNotContainKey("new-pricing");
      assertThat(warnings(app, "'new-pricing'")).hasSize(1);
    }
  }

  @Test
  void callsWithoutAUserId_areCountedPerMethod_andExplainedOnce() throws Exception {
    try (RemoteJmx remote = new RemoteJmx();
        ChildJvm app = ChildJvm.start(dir, jvm(remote))) {
      app.awaitOut(0, "ready"::equals, "start");
      assertThat(app.ask("feature alice", "feature alice=")).isEqualTo("feature alice=new");
      for (int i = 0; i < 3; i++) {
        assertThat(app.ask("feature -", "feature -=")).isEqualTo("feature -=old");
      }
      assertThat(app.ask("steps -", "steps -=")).isEqualTo("steps -=3");
      assertThat(app.ask("steps bob", "steps bob=")).isEqualTo("steps bob=2");
      app.awaitErr(l -> l.contains("Checkout#steps()") && l.contains("had none"), "the INFO line");

      assertThat(app.err.stream().filter(l -> l.contains("had none")))
          .as(app.dump())
          .hasSize(2)
          .allMatch(l -> l.contains("INFO") && l.contains("MDC 'userId' (mdc.userId)"))
          .anyMatch(l -> l.contains("@Toggle com.acme.itapp.Rollouts#feature()"))
          .anyMatch(l -> l.contains("@Variant com.acme.itapp.Checkout#steps()"));
      MBeanServerConnection jmx = remote.connect(app, JmxRegistration.engineName());
      assertThat(longs(jmx.getAttribute(JmxRegistration.engineName(), "AnonymousCalls")))
          .containsOnly(
              Map.entry("com.acme.itapp.Rollouts#feature()", 3L),
              Map.entry("com.acme.itapp.Checkout#steps()", 1L));
    }
  }

  private static List<String> warnings(ChildJvm app, String key) {
    return app.err.stream().filter(l -> l.contains(key) && l.contains("defined")).toList();
  }

  private static Map<String, List<String>> unknownKeys(MBeanServerConnection jmx) throws Exception {
    ObjectName engine = JmxRegistration.engineName();
    Map<String, List<String>> out = new java.util.TreeMap<>();
    for (Object row : ((TabularData) jmx.getAttribute(engine, "UnknownKeys")).values()) {
      CompositeData c = (CompositeData) row;
      out.put((String) c.get("key"), List.of((String[]) c.get("value")));
    }
    return out;
  }

  private static Map<String, Long> longs(Object tabular) {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (Object row : ((TabularData) tabular).values()) {
      CompositeData c = (CompositeData) row;
      out.put((String) c.get("key"), (Long) c.get("value"));
    }
    return out;
  }

  private List<String> jvm(RemoteJmx remote) throws Exception {
    List<String> args = new ArrayList<>();
    args.add("-javaagent:" + ChildJvm.AGENT_JAR.toAbsolutePath() + "=file=flags.json,jmxDelay=0");
    args.addAll(remote.jvmArgs());
    args.add("-cp");
    args.add(Fixtures.appClasspath("current"));
    args.add("com.acme.itapp.FleetApp");
    return args;
  }
}
