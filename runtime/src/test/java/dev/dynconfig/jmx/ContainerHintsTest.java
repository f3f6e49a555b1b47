package dev.dynconfig.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContainerHintsTest {

  static ContainerHints detect(Map<String, String> props, Map<String, String> env, Set<String> cp) {
    return ContainerHints.detect(props::get, env::get, cp::contains);
  }

  @Test
  void plainJvm_registersWithoutWaiting() {
    assertThat(detect(Map.of(), Map.of(), Set.of())).isNull();
  }

  @Test
  void customMBeanServerBuilderOutsideTheSystemClassPath_waitsForTheContainer_unbounded() {
    ContainerHints h =
        detect(
            Map.of(ContainerHints.BUILDER_PROPERTY, "org.jboss.as.jmx.PluggableMBeanServerBuilder"),
            Map.of(),
            Set.of());
    assertThat(h).isNotNull();
    assertThat(h.maxWait()).isNull();
    assertThat(h.reason()).contains("PluggableMBeanServerBuilder");
  }

  @Test
  void customBuilderOrLogManagerOnTheSystemClassPath_isSafe() {
    assertThat(
            detect(
                Map.of(
                    ContainerHints.BUILDER_PROPERTY, "com.acme.Builder",
                    ContainerHints.LOG_MANAGER_PROPERTY, "com.acme.LogManager"),
                Map.of(),
                Set.of("com.acme.Builder", "com.acme.LogManager")))
        .isNull();
  }

  @Test
  void jbossHomeOrForeignLogManager_waitsForTheContainer_bounded() {
    ContainerHints jboss = detect(Map.of(), Map.of("JBOSS_HOME", "/opt/wildfly"), Set.of());
    assertThat(jboss.maxWait()).isEqualTo(ContainerHints.LOG_MANAGER_WAIT);
    ContainerHints jul =
        detect(
            Map.of(ContainerHints.LOG_MANAGER_PROPERTY, "org.jboss.logmanager.LogManager"),
            Map.of(),
            Set.of());
    assertThat(jul.maxWait()).isEqualTo(ContainerHints.LOG_MANAGER_WAIT);
    assertThat(jul.reason()).contains("org.jboss.logmanager.LogManager");
  }

  @Test
  void realJvm_systemClassPathLookupFindsJdkAndTestClasses() {
    // The production lookup: a class on the class path counts as "on the system class path".
    ContainerHints h =
        ContainerHints.detect(
            name ->
                name.equals(ContainerHints.LOG_MANAGER_PROPERTY)
                    ? ContainerHintsTest.class.getName()
                    : null,
            name -> null,
            name -> ClassLoader.getSystemResource(name.replace('.', '/') + ".class") != null);
    assertThat(h).isNull();
  }
}
