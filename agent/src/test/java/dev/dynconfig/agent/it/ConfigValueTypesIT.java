package dev.dynconfig.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @ConfigValue} of the common return types under the real agent: converted without loading
 * Jackson's databind (it costs ~500 classes at the first call), and a value that does not fit is
 * reported with Java names; a record of the application still converts, with Jackson.
 */
class ConfigValueTypesIT {
  private static final String DATABIND = "dev.dynconfig.shaded.com.fasterxml.jackson.databind.";

  @TempDir Path dir;

  @Test
  void commonTypes_convertWithoutJackson_andARecordWithIt() throws Exception {
    Files.writeString(
        dir.resolve("flags.json"),
        """
        {"version": 1, "flags": [], "config": {"types": {
          "longs": [1, 2, 3], "regions": ["eu", "us", "eu"], "limits": {"items": 25},
          "tier": "PRO", "timeout": "PT0.25S", "tags": ["a", "b"], "weights": [3, 4],
          "ratio": 0.75, "enabled": true, "badTier": "GOLD",
          "banner": {"text": "Sale", "priority": 2}}}}
        """);
    try (ChildJvm jvm =
        ChildJvm.start(
            dir,
            List.of(
                "-javaagent:" + ChildJvm.AGENT_JAR.toAbsolutePath() + "=file=flags.json,jmx=false",
                "-Xlog:class+load=info:stdout",
                "-cp",
                Fixtures.appClasspath("current"),
                "com.acme.itapp.ConfigTypesApp"))) {
      assertThat(jvm.awaitExit()).as(jvm.dump()).isZero();
      List<String> values = jvm.out.stream().filter(l -> !l.startsWith("[")).toList();
      assertThat(values)
          .as(jvm.dump())
          .containsSubsequence(
              "longs=[1, 2, 3]",
              "regions=[eu, us]",
              "limits={items=25}",
              "tier=PRO",
              "timeout=PT0.25S",
              "tags=[a, b]",
              "weights=[3, 4]",
              "ratio=0.75",
              "enabled=true",
              "badTier=FREE",
              "common types done",
              "banner=Banner[text=Sale, priority=2]");
      int done = jvm.out.indexOf("common types done");
      assertThat(jvm.out.subList(0, done))
          .as("classes loaded before the record was converted")
          .noneMatch(l -> l.contains(DATABIND));
      assertThat(jvm.out.subList(done, jvm.out.size()))
          .as("the record needs Jackson (so the check above can fail)")
          .anyMatch(l -> l.contains(DATABIND));
      assertThat(jvm.err)
          .as(jvm.dump())
          .anyMatch(
              l ->
                  l.contains("@ConfigValue types.badTier = \"GOLD\" cannot be returned by")
                      && l.contains(
                          "\"GOLD\" is not a constant of enum com.acme.itapp.ConfigTypesApp$Tier"
                              + " [FREE, PRO]"));
      assertThat(jvm.err).noneMatch(l -> l.contains("jackson") || l.contains("[Source"));
    }
  }
}
