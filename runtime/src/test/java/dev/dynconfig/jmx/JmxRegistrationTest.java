package dev.dynconfig.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.EvaluationContext;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MBeans on the platform MBeanServer of this JVM, driven the way a JMX client drives them. */
class JmxRegistrationTest {
  static final String DOC =
      """
      {"version": 1, "roles": ["viewer", "user", "admin"],
       "flags": [
         {"key": "new-dashboard", "defaultValue": false, "variant": "v2"},
         {"key": "premium-only", "defaultValue": false,
          "targeting": {"==": [{"var": "plan"}, "premium"]}}
       ],
       "tests": [
         {"id": "checkout-experiment", "name": "Checkout Flow", "status": "running",
          "variants": [{"id": "control", "name": "Original", "isControl": true, "config": {"steps": 3}},
                       {"id": "variant-a", "name": "Optimized", "config": {"steps": 2}}],
          "allocation": {"control": 50, "variant-a": 50}}
       ],
       "config": {"checkout": {"timeoutMs": 1500}}}
      """;

  @TempDir Path dir;
  Path file;
  DynamicConfig config;
  final MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();

  @BeforeEach
  void start() throws Exception {
    file = dir.resolve("flags.json");
    write(DOC);
    config = DynamicConfig.create(options().build());
    config.initialize();
  }

  @AfterEach
  void stop() {
    config.shutdown();
    JmxRegistration.useGuardedMethods(null);
  }

  DynamicConfigOptions.Builder options() {
    return DynamicConfigOptions.builder().file(file).environment("production").registerJmx(true);
  }

  void write(String json) throws Exception {
    Files.writeString(file, json, StandardCharsets.UTF_8);
  }

  static ObjectName flag(String key) {
    return JmxRegistration.flagName(key);
  }

  Object attr(ObjectName name, String attribute) throws Exception {
    return mbs.getAttribute(name, attribute);
  }

  Object invoke(String op, Object[] args, String[] sig) throws Exception {
    return mbs.invoke(JmxRegistration.engineName(), op, args, sig);
  }

  @Test
  void initialize_registersEngineFlagAndTestMBeans_andShutdownUnregistersThem() {
    assertThat(mbs.isRegistered(JmxRegistration.engineName())).isTrue();
    assertThat(mbs.isRegistered(flag("new-dashboard"))).isTrue();
    assertThat(mbs.isRegistered(flag("premium-only"))).isTrue();
    assertThat(mbs.isRegistered(JmxRegistration.testName("checkout-experiment"))).isTrue();

    config.shutdown();

    assertThat(mbs.queryNames(pattern(), null)).isEmpty();
  }

  @Test
  void withoutRegisterJmx_nothingIsRegistered() {
    config.shutdown();
    DynamicConfig plain = DynamicConfig.create(options().registerJmx(false).build());
    try {
      plain.initialize();
      assertThat(mbs.queryNames(pattern(), null)).isEmpty();
    } finally {
      plain.shutdown();
    }
  }

  @Test
  void engineAttributes_describeTheRunningEngine() throws Exception {
    ObjectName engine = JmxRegistration.engineName();
    assertThat(attr(engine, "Initialized")).isEqualTo(true);
    assertThat(attr(engine, "Version")).isEqualTo(1L);
    assertThat((String) attr(engine, "Source")).contains("flags.json");
    assertThat(attr(engine, "Environment")).isEqualTo("production");
    assertThat(attr(engine, "LastError")).isEqualTo("");
    assertThat((String) attr(engine, "LastSyncedAt")).isNotEmpty();
    assertThat(attr(engine, "ConnectionStatus"))
        .isEqualTo(String.valueOf(config.getState().connectionStatus()));
  }

  @Test
  void overrideAttribute_takesEffectOnNextCall_survivesReloads_untilCleared() throws Exception {
    assertThat(config.isFlagEnabled("new-dashboard")).isFalse();

    mbs.setAttribute(flag("new-dashboard"), new Attribute("Override", "true"));
    assertThat(config.isFlagEnabled("new-dashboard")).isTrue();
    assertThat(attr(flag("new-dashboard"), "Override")).isEqualTo("true");

    write(DOC.replace("\"version\": 1", "\"version\": 2"));
    config.forceRefresh();
    assertThat(config.introspection().version()).isEqualTo(2);
    assertThat(config.isFlagEnabled("new-dashboard")).isTrue();

    mbs.setAttribute(flag("new-dashboard"), new Attribute("Override", ""));
    assertThat(config.isFlagEnabled("new-dashboard")).isFalse();
    assertThat(attr(flag("new-dashboard"), "Override")).isEqualTo("");
  }

  @Test
  void overrideAttribute_ofBooleanFlag_refusesOtherValues_withTheReason() {
    assertThatThrownBy(
            () -> mbs.setAttribute(flag("new-dashboard"), new Attribute("Override", "maybe")))
        .isInstanceOf(RuntimeMBeanException.class)
        .cause()
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("new-dashboard")
        .hasMessageContaining("true, false, or empty")
        .hasMessageContaining("maybe");
    assertThat(config.getOverrides()).isEmpty();
  }

  @Test
  void engineOperations_setRemoveAndClearOverrides() throws Exception {
    String[] sig = {String.class.getName(), boolean.class.getName()};
    invoke("setOverride", new Object[] {"new-dashboard", true}, sig);
    invoke("setOverride", new Object[] {"premium-only", true}, sig);
    assertThat(config.isFlagEnabled("new-dashboard")).isTrue();
    assertThat(config.isFlagEnabled("premium-only")).isTrue();
    TabularData overrides = (TabularData) attr(JmxRegistration.engineName(), "Overrides");
    assertThat(rows(overrides)).containsEntry("new-dashboard", "true").hasSize(2);

    invoke("removeOverride", new Object[] {"new-dashboard"}, new String[] {"java.lang.String"});
    assertThat(config.isFlagEnabled("new-dashboard")).isFalse();
    assertThat(config.isFlagEnabled("premium-only")).isTrue();

    invoke("clearOverrides", new Object[0], new String[0]);
    assertThat(config.getOverrides()).isEmpty();
    assertThat(config.isFlagEnabled("premium-only")).isFalse();
  }

  @Test
  void counters_matchTheEvaluationsMade() throws Exception {
    EvaluationContext premium = EvaluationContext.builder().attribute("plan", "premium").build();
    EvaluationContext basic = EvaluationContext.builder().attribute("plan", "basic").build();
    for (int i = 0; i < 3; i++) {
      config.isFlagEnabled("premium-only", premium);
    }
    for (int i = 0; i < 2; i++) {
      config.isFlagEnabled("premium-only", basic);
    }
    assertThat(attr(flag("premium-only"), "TrueCount")).isEqualTo(3L);
    assertThat(attr(flag("premium-only"), "FalseCount")).isEqualTo(2L);
    assertThat(attr(flag("new-dashboard"), "TrueCount")).isEqualTo(0L);
  }

  @Test
  void flagMBean_appearsWhenAReloadAddsTheFlag_andDisappearsWhenItIsRemoved() throws Exception {
    assertThat(mbs.isRegistered(flag("late-flag"))).isFalse();

    write(
        DOC.replace(
            "\"flags\": [", "\"flags\": [{\"key\": \"late-flag\", \"defaultValue\": true},"));
    config.forceRefresh();
    assertThat(mbs.isRegistered(flag("late-flag"))).isTrue();
    assertThat((String) attr(flag("late-flag"), "Definition")).contains("\"defaultValue\":true");

    write(DOC);
    config.forceRefresh();
    assertThat(mbs.isRegistered(flag("late-flag"))).isFalse();
  }

  @Test
  void testMBean_appearsAndDisappears_withTheTest() throws Exception {
    write(
        """
        {"version": 2, "flags": [{"key": "new-dashboard", "defaultValue": false}], "tests": []}
        """);
    config.forceRefresh();
    assertThat(config.introspection().testIds()).isEmpty();
    assertThat(mbs.isRegistered(JmxRegistration.testName("checkout-experiment"))).isFalse();

    write(DOC);
    config.forceRefresh();
    assertThat(mbs.isRegistered(JmxRegistration.testName("checkout-experiment"))).isTrue();
  }

  @Test
  void testMBean_showsStatusAllocationAndAssignmentCountsPerVariant() throws Exception {
    ObjectName test = JmxRegistration.testName("checkout-experiment");
    Map<String, Integer> expected = new HashMap<>();
    for (int i = 0; i < 40; i++) {
      String v = config.getVariant("checkout-experiment", "user-" + i).id();
      expected.merge(v, 1, Integer::sum);
    }
    assertThat(attr(test, "Status")).isEqualTo("running");
    assertThat(attr(test, "Name")).isEqualTo("Checkout Flow");
    assertThat(rows((TabularData) attr(test, "Allocation")))
        .containsEntry("control", 50.0)
        .containsEntry("variant-a", 50.0);
    Map<Object, Object> counts = rows((TabularData) attr(test, "AssignmentCounts"));
    assertThat(counts).hasSize(2);
    expected.forEach((variant, n) -> assertThat(counts).containsEntry(variant, (long) n));
  }

  @Test
  void evaluateOperation_returnsValueReasonAndVariantAsJson() throws Exception {
    String[] sig = {"java.lang.String", "java.lang.String"};
    assertThat(invoke("evaluate", new Object[] {"premium-only", "{\"plan\":\"premium\"}"}, sig))
        .isEqualTo("{\"value\":true,\"reason\":\"TARGETING\"}");
    assertThat(invoke("evaluate", new Object[] {"new-dashboard", ""}, sig))
        .isEqualTo("{\"value\":false,\"reason\":\"DEFAULT\",\"variant\":\"v2\"}");
    assertThat((String) invoke("evaluate", new Object[] {"nope", null}, sig))
        .contains("FLAG_NOT_FOUND");
    assertThatThrownBy(() -> invoke("evaluate", new Object[] {"premium-only", "[1]"}, sig))
        .cause()
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON object");
    assertThatThrownBy(
            () -> invoke("evaluate", new Object[] {"premium-only", "{\"userId\":5}"}, sig))
        .cause()
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("userId must be a string");
  }

  @Test
  void getVariantOperation_explainsTheAssignment_withoutCountingIt() throws Exception {
    String[] sig = {"java.lang.String", "java.lang.String"};
    String expected =
        config
            .introspection()
            .explainAssignment("checkout-experiment", EvaluationContext.ofUser("u1"))
            .variant()
            .id();
    assertThat((String) invoke("getVariant", new Object[] {"checkout-experiment", "u1"}, sig))
        .startsWith("{\"variant\":\"" + expected + "\"")
        .contains("\"config\":{\"steps\":");
    assertThat((String) invoke("getVariant", new Object[] {"unknown", "u1"}, sig))
        .isEqualTo("{\"variant\":null,\"reason\":\"no test with this id\"}");
    assertThat(config.introspection().assignmentCounts("checkout-experiment").values())
        .containsOnly(0L);
  }

  @Test
  void setRuntimeConfigOperation_setsJsonValues_andEmptyRemoves() throws Exception {
    String[] sig = {"java.lang.String", "java.lang.String", "java.lang.String"};
    invoke("setRuntimeConfig", new Object[] {"checkout", "timeoutMs", "2500"}, sig);
    assertThat(config.getRuntimeConfig("checkout", "timeoutMs", Long.class)).isEqualTo(2500L);
    invoke("setRuntimeConfig", new Object[] {"ui", "theme", "light"}, sig);
    assertThat(config.getRuntimeConfig("ui", "theme")).isEqualTo("light");
    invoke("setRuntimeConfig", new Object[] {"ui", "limits", "{\"max\": 3}"}, sig);
    assertThat(config.getRuntimeConfig("ui", "limits")).isEqualTo(Map.of("max", 3L));
    invoke("setRuntimeConfig", new Object[] {"ui", "theme", ""}, sig);
    assertThat(config.getRuntimeConfig("ui", "theme")).isNull();
  }

  @Test
  void forceRefreshOperation_rereadsTheSource() throws Exception {
    write(DOC.replace("\"version\": 1", "\"version\": 5"));
    invoke("forceRefresh", new Object[0], new String[0]);
    assertThat(attr(JmxRegistration.engineName(), "Version")).isEqualTo(5L);
  }

  @Test
  void guardedMethods_handedOverByTheAgent_showOnTheFlagAndTest() throws Exception {
    assertThat((String[]) attr(flag("new-dashboard"), "GuardedMethods"))
        .as("none before the agent hands its index over")
        .isEmpty();
    Map<String, String[]> byFlag =
        Map.of(
            "new-dashboard",
            new String[] {"com.acme.Audit#log(Order)", "com.acme.Pricing#price(Order)"});
    Map<String, String[]> byTest =
        Map.of("checkout-experiment", new String[] {"com.acme.Checkout#steps(User)"});
    JmxRegistration.useGuardedMethods(
        new GuardedMethodIndex() {
          @Override
          public String[] forFlag(String flagKey) {
            return byFlag.getOrDefault(flagKey, new String[0]);
          }

          @Override
          public String[] forTest(String testId) {
            return byTest.getOrDefault(testId, new String[0]);
          }
        });
    assertThat((String[]) attr(flag("new-dashboard"), "GuardedMethods"))
        .containsExactly("com.acme.Audit#log(Order)", "com.acme.Pricing#price(Order)");
    assertThat((String[]) attr(flag("premium-only"), "GuardedMethods")).isEmpty();
    assertThat((String[]) attr(JmxRegistration.testName("checkout-experiment"), "GuardedMethods"))
        .containsExactly("com.acme.Checkout#steps(User)");
  }

  @Test
  void everySignature_usesOpenTypesOnly_soGenericClientsNeedNoDynconfigClasses() throws Exception {
    Set<String> open =
        Set.of(
            "java.lang.String",
            "boolean",
            "long",
            "void",
            "[Ljava.lang.String;",
            TabularData.class.getName(),
            CompositeData.class.getName());
    for (ObjectName name : mbs.queryNames(pattern(), null)) {
      MBeanInfo info = mbs.getMBeanInfo(name);
      for (MBeanAttributeInfo a : info.getAttributes()) {
        assertThat(a.getType()).as(name + " " + a.getName()).isIn(open);
      }
      for (MBeanOperationInfo o : info.getOperations()) {
        assertThat(o.getReturnType()).as(name + " " + o.getName()).isIn(open);
        for (MBeanParameterInfo p : o.getSignature()) {
          assertThat(p.getType()).as(name + " " + o.getName()).isIn(open);
          assertThat(p.getName()).as("parameter names are real").doesNotMatch("p\\d+");
        }
      }
    }
  }

  @Test
  void aSecondInstance_leavesTheFirstInstancesMBeansAlone() throws Exception {
    DynamicConfig second = DynamicConfig.create(options().build());
    try {
      second.initialize();
      second.setOverride("new-dashboard", true);
      assertThat(attr(flag("new-dashboard"), "Override")).isEqualTo("");
    } finally {
      second.shutdown();
    }
    assertThat(mbs.isRegistered(JmxRegistration.engineName())).isTrue();
  }

  @Test
  void deferredRegistration_happensOnANamedDaemonThread_afterTheDelay() throws Exception {
    config.shutdown();
    DynamicConfig deferred =
        DynamicConfig.create(options().jmxRegistrationDelay(Duration.ofMillis(20)).build());
    try {
      deferred.initialize();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      // The engine's MBean and the flags' MBeans are registered one after the other: wait for all.
      while (!(mbs.isRegistered(JmxRegistration.engineName())
              && mbs.isRegistered(flag("new-dashboard")))
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(mbs.isRegistered(JmxRegistration.engineName())).isTrue();
      assertThat(mbs.isRegistered(flag("new-dashboard"))).isTrue();
    } finally {
      deferred.shutdown();
    }
    assertThat(mbs.queryNames(pattern(), null)).isEmpty();
  }

  @Test
  void shutdownBeforeDeferredRegistration_cancelsIt() throws Exception {
    config.shutdown();
    DynamicConfig deferred =
        DynamicConfig.create(options().jmxRegistrationDelay(Duration.ofHours(1)).build());
    deferred.initialize();
    Thread thread = registrationThread();
    assertThat(thread).isNotNull();
    assertThat(thread.isDaemon()).isTrue();
    deferred.shutdown();
    thread.join(Duration.ofSeconds(10).toMillis());
    assertThat(thread.isAlive()).isFalse();
    assertThat(mbs.queryNames(pattern(), null)).isEmpty();
  }

  @Test
  void objectNames_quoteKeysThatNeedIt_andRoundTrip() throws Exception {
    assertThat(JmxRegistration.flagName("new-dashboard").toString())
        .isEqualTo("dev.dynconfig:type=Flag,name=new-dashboard");
    for (String key : new String[] {"a,b", "x=y", "what?", "star*", "colon:key", "q\"uote"}) {
      ObjectName n = JmxRegistration.flagName(key);
      assertThat(ObjectName.unquote(n.getKeyProperty("name"))).isEqualTo(key);
      assertThat(new ObjectName(n.getCanonicalName())).isEqualTo(n);
    }
  }

  private static Thread registrationThread() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(JmxRegistration.THREAD_NAME)) {
        return t;
      }
    }
    return null;
  }

  private static ObjectName pattern() {
    try {
      return new ObjectName(JmxRegistration.DOMAIN + ":*");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<Object, Object> rows(TabularData table) {
    Map<Object, Object> out = new HashMap<>();
    for (Object row : table.values()) {
      CompositeData c = (CompositeData) row;
      out.put(c.get("key"), c.get("value"));
    }
    return out;
  }
}
