package dev.dynconfig.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent tells a user, in the order a new user meets it: started before the flag file
 * exists, the file created, broken, restored, and given a value the method cannot return.
 */
class LogWordingIT {
  @TempDir Path dir;

  @BeforeEach
  void setUp() {
    Fixtures.assumeEngine();
  }

  @Test
  void fileCreatedBrokenRestoredAndMistyped_isToldInPlainEnglish() throws Exception {
    Path flags = dir.resolve("flags.json");
    List<String> jvm =
        List.of(
            "-javaagent:" + ChildJvm.AGENT_JAR.toAbsolutePath() + "=file=flags.json,initTimeout=1s",
            "-cp",
            Fixtures.appClasspath("current"),
            "com.acme.itapp.FlagApp",
            "2");
    try (ChildJvm app = ChildJvm.start(dir, jvm)) {
      assertThat(
              app.awaitErr(l -> l.contains("test 'checkout-experiment' is not defined"), "variant"))
          .contains("is not defined because no configuration has been loaded yet;");

      String good = Fixtures.document(1, true, 1500, 100, 0, 0);
      Fixtures.write(flags, good);
      app.awaitErr(l -> l.contains("Applied"), "the new file applied");
      assertThat(app.err)
          .anyMatch(l -> l.matches(".*Flag file .*flags\\.json now exists; reading it"));
      assertThat(app.err).noneMatch(l -> l.contains("is back"));

      Fixtures.write(flags, good.replace("\"version\": 1", "\"version\": 1,,"));
      app.awaitErr(l -> l.contains("Rejected a flag document"), "the broken file rejected");
      Fixtures.write(flags, good);
      assertThat(app.awaitErr(l -> l.contains("as before the rejection"), "the good file again"))
          .contains("INFO  Applied")
          .contains("serving version 1");

      Fixtures.write(flags, good.replace("\"timeoutMs\": 1500", "\"timeoutMs\": \"soon\""));
      String warning = app.awaitErr(l -> l.contains("cannot be returned by"), "conversion");
      assertThat(warning)
          .contains("@ConfigValue checkout.timeoutMs = \"soon\" cannot be returned by")
          .contains("long timeoutMs() of com.acme.itapp.Checkout")
          .doesNotContain("[Source")
          .doesNotContain("(J")
          .doesNotContain("jackson");
    }
  }
}
