package dev.dynconfig.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.DynamicConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's engine is its own: an application that ships dynconfig-runtime (here a jar of the
 * runtime's classes under another version) uses the library next to the agent; each engine answers
 * from its own file and neither sees the other's flags or process-wide instance.
 */
class EngineIsolationIT {
  @TempDir Path dir;

  @BeforeEach
  void setUp() throws Exception {
    Fixtures.assumeEngine();
    Fixtures.write(
        dir.resolve("flags.json"),
        """
        {"version": 1, "flags": [{"key": "agent-flag", "defaultValue": true}]}
        """);
    Fixtures.write(
        dir.resolve("lib.json"),
        """
        {"version": 1, "flags": [{"key": "lib-flag", "defaultValue": true}]}
        """);
  }

  @Test
  void appShippingDynconfigRuntime_usesItsOwnEngine_besideTheAgents() throws Exception {
    Path runtimeJar =
        Fixtures.jar(
            codeSource(DynamicConfig.class),
            dir.resolve("dynconfig-runtime-0.0.9.jar"),
            "dynconfig-runtime",
            "0.0.9-app");
    List<Object> classpath = new ArrayList<>();
    classpath.add(Fixtures.testClasses());
    classpath.add(Fixtures.apiClasses());
    classpath.add(runtimeJar);
    classpath.add(codeSource(com.fasterxml.jackson.databind.ObjectMapper.class));
    classpath.add(codeSource(com.fasterxml.jackson.core.JsonFactory.class));
    classpath.add(codeSource(com.fasterxml.jackson.annotation.JsonProperty.class));
    classpath.add(codeSource(com.fasterxml.jackson.dataformat.yaml.YAMLFactory.class));
    classpath.add(codeSource(org.yaml.snakeyaml.Yaml.class));
    classpath.addAll(Fixtures.libs("current"));
    List<String> jvm =
        List.of(
            "-javaagent:" + ChildJvm.AGENT_JAR.toAbsolutePath() + "=file=flags.json",
            "-cp",
            ChildJvm.classpath(classpath.toArray()),
            "com.acme.itapp.LibraryApp");
    try (ChildJvm app = ChildJvm.start(dir, jvm)) {
      assertThat(app.awaitExit()).as(app.dump()).isZero();
      // (Between them, the library logs through the application's own logback, to stdout.)
      assertThat(app.out)
          .as(app.dump())
          .containsSubsequence(
              "engine dev.dynconfig.DynamicConfig version 0.0.9-app from dynconfig-runtime-0.0.9.jar",
              "library lib-flag=true agent-flag=false",
              "agent agent-flag=on lib-flag=off");
    }
  }

  private static Path codeSource(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
