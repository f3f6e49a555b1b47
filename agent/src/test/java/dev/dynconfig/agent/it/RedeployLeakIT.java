package dev.dynconfig.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redeploying an application under the agent leaks nothing: in a forked JVM with the real agent, an
 * application ({@code com.acme.leakapp}: every kind of site, the application's own SLF4J MDC, a
 * scope holding one of its objects, {@code @ConfigValue}s of its own enum and record types) is
 * loaded by a class loader of its own, called from threads that outlive it, and dropped,
 * repeatedly; after GC every dropped loader must be gone, and so must its methods from the flag's
 * JMX GuardedMethods. The web application bundles its own dynconfig-api jar, and its scope still
 * reaches the agent.
 */
class RedeployLeakIT {
  private static final String FLAGS =
      """
      {"version": 1,
       "flags": [
         {"key": "leak-rollout", "defaultValue": false, "rolloutPercentage": 100},
         {"key": "leak-targeted", "defaultValue": false,
          "targeting": {"==": [{"var": "plan"}, "premium"]}}],
       "tests": [{"id": "leak-test", "status": "running",
                  "variants": [{"id": "control", "isControl": true}, {"id": "variant-a"}],
                  "allocation": {"control": 0, "variant-a": 100}}],
       "config": {"leak": {"theme": "DARK", "limit": 7, "limits": {"max": 9, "unit": "carts"}}}}
      """;

  private static final String ANSWER =
      "rollout=on targeted=on variant=a theme=DARK limit=7 limits=9 carts";
  private static final String METHOD = "com.acme.leakapp.Shop#targeted()";

  @TempDir Path dir;

  @BeforeEach
  void setUp() throws Exception {
    Fixtures.assumeEngine();
    Fixtures.write(dir.resolve("flags.json"), FLAGS);
  }

  @Test
  void tomcatRedeploys_leaveNoWebAppClassLoaderAlive_norItsGuardedMethods() throws Exception {
    Path war = dir.resolve("war");
    copyClasses("com/acme/leakapp", war.resolve("WEB-INF/classes"));
    Path lib = Files.createDirectories(war.resolve("WEB-INF/lib"));
    for (Path jar : Fixtures.libs("current")) {
      Files.copy(jar, lib.resolve(jar.getFileName()));
    }
    // The WAR bundles its own dynconfig-api, as Maven packages it: DynamicContext must still reach
    // the agent (Tomcat's child-first loader delegates it; the targeted flag reads the scope).
    Fixtures.jar(
        Fixtures.apiClasses(), lib.resolve("dynconfig-api.jar"), "dynconfig-api", "0.0.9-app");
    Path host = dir.resolve("host");
    copyClasses("com/acme/leakhost", host);
    String classpath =
        ChildJvm.classpath(
            host,
            codeSource(org.apache.catalina.startup.Tomcat.class),
            codeSource(jakarta.annotation.PostConstruct.class));
    try (ChildJvm app =
        ChildJvm.start(
            dir,
            jvm(
                "com.acme.leakhost.TomcatHost",
                classpath,
                "-Dleak.war=" + war,
                "-Dleak.base=" + Files.createDirectories(dir.resolve("tomcat")),
                "-Dleak.cycles=5"))) {
      for (int cycle = 1; cycle <= 5; cycle++) {
        String prefix = "cycle " + cycle + " ";
        assertThat(app.awaitOut(0, l -> l.startsWith(prefix), prefix))
            .isEqualTo("cycle " + cycle + " answers=[200 " + ANSWER + "] guarded=[" + METHOD + "]");
      }
      assertThat(app.awaitOut(0, l -> l.startsWith("alive "), "loaders after GC"))
          .as("undeployed web-app class loaders still reachable after GC\n%s", app.dump())
          .isEqualTo("alive 0");
      assertThat(app.awaitOut(0, l -> l.startsWith("guarded-after-undeploy "), "JMX"))
          .isEqualTo("guarded-after-undeploy []");
      assertThat(app.awaitOut(0, l -> l.startsWith("guarded-redeployed "), "JMX after redeploy"))
          .isEqualTo("guarded-redeployed [" + METHOD + "] answers=[200 " + ANSWER + "]");
      assertThat(app.awaitExit()).isZero();
    }
  }

  @Test
  void urlClassLoaderApp_loadedUsedAndDropped20Times_leavesNoLoaderAlive() throws Exception {
    Path classes = dir.resolve("app");
    copyClasses("com/acme/leakapp", classes);
    Files.delete(classes.resolve("com/acme/leakapp/ShopServlet.class")); // no servlet API here
    Path host = dir.resolve("host");
    copyClasses("com/acme/leakhost", host);
    List<Object> appPath = new ArrayList<>(List.of(classes));
    appPath.addAll(Fixtures.libs("current"));
    try (ChildJvm app =
        ChildJvm.start(
            dir,
            jvm(
                "com.acme.leakhost.LoaderChurn",
                host.toString(),
                "-Dleak.cp=" + ChildJvm.classpath(appPath.toArray()),
                "-Dleak.cycles=20"))) {
      assertThat(app.awaitOut(0, l -> l.startsWith("answers="), "answers"))
          .isEqualTo("answers=[" + ANSWER + "]");
      assertThat(app.awaitOut(0, l -> l.startsWith("alive "), "loaders after GC"))
          .as("dropped class loaders still reachable after GC\n%s", app.dump())
          .isEqualTo("alive 0");
      assertThat(app.awaitExit()).isZero();
    }
  }

  private List<String> jvm(String mainClass, String classpath, String... properties) {
    List<String> args = new ArrayList<>();
    args.add("-javaagent:" + ChildJvm.AGENT_JAR.toAbsolutePath() + "=file=flags.json,jmxDelay=0s");
    args.add("-Xmx256m");
    args.addAll(List.of(properties));
    args.add("-cp");
    args.add(classpath);
    args.add(mainClass);
    return args;
  }

  /** Copies the class files of one package of target/test-classes into {@code target}. */
  private static void copyClasses(String packagePath, Path target) throws IOException {
    Path from = Fixtures.testClasses().resolve(packagePath);
    Path to = Files.createDirectories(target.resolve(packagePath));
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  private static Path codeSource(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
