package dev.dynconfig.jmx;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Whether the application (a container) will install its own MBeanServer or JUL LogManager, in
 * which case the agent must not create the platform MBeanServer first.
 *
 * <p>Why: the platform MBeanServer is created once, with the builder named by {@code
 * javax.management.builder.initial}; JBoss/WildFly set that to a class in their module system and
 * fail to boot if someone created the server before them (or our call fails because the class is
 * not loadable). Likewise {@code java.util.logging.LogManager} is created once, from {@code
 * java.util.logging.manager}; touching JMX/JUL too early fixes the wrong one. The Datadog and
 * OpenTelemetry agents solve this the same way: when such a configuration names a class that is not
 * on the system class path (or {@code JBOSS_HOME} is set), they wait until the application has
 * initialized it. Without the agent's class-load callbacks we detect "has initialized it" as "the
 * platform MBeanServer now exists" ({@code MBeanServerFactory.findMBeanServer(null)}, which does
 * not create one).
 *
 * @param reason why we wait, for the log
 * @param maxWait how long to wait for the container at most; null waits as long as it takes (a
 *     custom MBeanServerBuilder: creating the server ourselves would break the container)
 */
record ContainerHints(String reason, Duration maxWait) {
  static final String BUILDER_PROPERTY = "javax.management.builder.initial";
  static final String LOG_MANAGER_PROPERTY = "java.util.logging.manager";

  /** How long to wait for a container that may install a LogManager before registering anyway. */
  static final Duration LOG_MANAGER_WAIT = Duration.ofSeconds(60);

  /**
   * The hint for this JVM, or null when registering now is safe.
   *
   * @param properties system property lookup
   * @param environment environment variable lookup
   * @param onSystemClassPath whether a class (binary name) is on the system class path
   */
  static ContainerHints detect(
      UnaryOperator<String> properties,
      UnaryOperator<String> environment,
      Predicate<String> onSystemClassPath) {
    String builder = properties.apply(BUILDER_PROPERTY);
    if (builder != null && !builder.isBlank() && !onSystemClassPath.test(builder.strip())) {
      return new ContainerHints(
          BUILDER_PROPERTY + "=" + builder + " is not on the system class path", null);
    }
    if (environment.apply("JBOSS_HOME") != null) {
      // JBoss/WildFly install their own LogManager and MBeanServer after start-up.
      return new ContainerHints("JBOSS_HOME is set", LOG_MANAGER_WAIT);
    }
    String logManager = properties.apply(LOG_MANAGER_PROPERTY);
    if (logManager != null
        && !logManager.isBlank()
        && !onSystemClassPath.test(logManager.strip())) {
      return new ContainerHints(
          LOG_MANAGER_PROPERTY + "=" + logManager + " is not on the system class path",
          LOG_MANAGER_WAIT);
    }
    return null;
  }

  /** The hint for the running JVM. */
  static ContainerHints detect() {
    return detect(
        System::getProperty,
        System::getenv,
        name -> ClassLoader.getSystemResource(name.replace('.', '/') + ".class") != null);
  }
}
