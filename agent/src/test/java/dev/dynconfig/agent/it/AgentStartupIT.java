package dev.dynconfig.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up behaviour of the real agent jar in forked JVMs that holds with or without an engine. */
class AgentStartupIT {
  @TempDir Path dir;

  private String agent(String args) {
    return "-javaagent:" + ChildJvm.AGENT_JAR.toAbsolutePath() + (args == null ? "" : "=" + args);
  }

  private String appClasspath() throws Exception {
    return ChildJvm.classpath(
        Fixtures.testClasses(),
        Fixtures.apiClasses(),
        ChildJvm.classpath(Fixtures.libs("current").toArray()));
  }

  @Test
  void duplicateJavaagent_isNoOp_andAppRuns() throws Exception {
    Files.writeString(dir.resolve("flags.json"), Fixtures.document(1, true, 1500, 34, 33, 33));
    try (ChildJvm jvm =
        ChildJvm.start(
            dir,
            List.of(
                agent("file=flags.json"),
                agent("file=other.json"),
                "-cp",
                appClasspath(),
                "com.acme.itapp.ExitApp"))) {
      assertThat(jvm.awaitExit()).as(jvm.dump()).isZero();
      assertThat(jvm.err.stream().filter(l -> l.contains("already installed")))
          .as(jvm.dump())
          .hasSize(1);
      assertThat(jvm.out).contains("main returns");
      assertThat(jvm.out.stream().filter(l -> l.startsWith("price="))).hasSize(1);
    }
  }

  @Test
  void jvmExits_whenMainReturns_andAgentThreadsAreNamedDaemons() throws Exception {
    Files.writeString(dir.resolve("flags.json"), Fixtures.document(1, true, 1500, 34, 33, 33));
    try (ChildJvm jvm =
        ChildJvm.start(
            dir,
            List.of(agent("file=flags.json"), "-cp", appClasspath(), "com.acme.itapp.ExitApp"))) {
      assertThat(jvm.awaitExit()).as(jvm.dump()).isZero();
      assertThat(jvm.out).as(jvm.dump()).contains("main returns");
      assertThat(jvm.out.stream().filter(l -> l.startsWith("thread ")))
          .as("non-daemon threads besides main, and dynconfig threads that are not daemons")
          .allMatch(l -> l.equals("thread name=main daemon=false") || l.endsWith("daemon=true"));
    }
  }

  @Test
  void installFailure_isLogged_andAppRunsUnmodified() throws Exception {
    try (ChildJvm jvm =
        ChildJvm.start(
            dir,
            List.of(
                agent("file=flags.json"),
                "-Ddynconfig.test.faultInjection=install",
                "-cp",
                appClasspath(),
                "com.acme.itapp.ExitApp"))) {
      assertThat(jvm.awaitExit()).as(jvm.dump()).isZero();
      assertThat(jvm.out).as(jvm.dump()).contains("price=new refused=42");
      assertThat(jvm.err)
          .anyMatch(l -> l.startsWith("[dynconfig] ERROR the agent could not start"));
    }
  }

  @Test
  void unknownKeysAndBadValues_areReportedWithKeyValueAndExpectation_andIgnored() throws Exception {
    Files.writeString(dir.resolve("flags.json"), Fixtures.document(1, true, 1500, 34, 33, 33));
    try (ChildJvm jvm =
        ChildJvm.start(
            dir,
            List.of(
                agent("file=flags.json,bogus=1,pollingInterval=soon"),
                "-Ddynconfig.fallback=sometimes",
                "-cp",
                appClasspath(),
                "com.acme.itapp.ExitApp"))) {
      assertThat(jvm.awaitExit()).as(jvm.dump()).isZero();
      assertThat(jvm.err).anyMatch(l -> l.contains("unknown agent option 'bogus'"));
      assertThat(jvm.err)
          .anyMatch(
              l ->
                  l.contains("option 'pollingInterval' = 'soon' (from agent argument)")
                      && l.contains("expected a duration"));
      assertThat(jvm.err)
          .anyMatch(
              l ->
                  l.contains("option 'fallback' = 'sometimes' (from system property")
                      && l.contains("one of cache, default, throw"));
    }
  }
}
