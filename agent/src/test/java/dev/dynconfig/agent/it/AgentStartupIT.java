package dev.dynconfig.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.testagent.Fault;
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
                Fixtures.appClasspath("current"),
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
            List.of(
                agent("file=flags.json"),
                "-cp",
                Fixtures.appClasspath("current"),
                "com.acme.itapp.ExitApp"))) {
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
                ChildJvm.faultAgent("install"),
                agent("file=flags.json"),
                "-cp",
                Fixtures.appClasspath("current"),
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
                Fixtures.appClasspath("current"),
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

  // premain returns before the engine has started (BENCHMARKS.md section 4); the bridge makes the
  // first calls wait for it. The flag file below differs from every method's own body (new-pricing
  // off: "legacy"; checkout.timeoutMs 2500, the body says 1000).

  @Test
  void callsAtTheVeryStartOfMain_andInItsStaticInitializer_seeTheFlagFilesValues()
      throws Exception {
    Fixtures.assumeEngine();
    try (ChildJvm jvm = startEarlyApp("file=flags.json", null)) {
      assertThat(jvm.awaitExit()).as(jvm.dump()).isZero();
      assertThat(jvm.out)
          .as(jvm.dump())
          .contains(
              "early static price=legacy timeout=2500", "early main price=legacy timeout=2500");
      assertThat(jvm.err).as(jvm.dump()).noneMatch(l -> l.contains("gave up"));
    }
  }

  @Test
  void engineThatCannotStart_firstCallsDoNotWaitForIt_andRunTheOriginalBodies() throws Exception {
    try (ChildJvm jvm = startEarlyApp("file=flags.json", "engineFail")) {
      assertThat(jvm.awaitExit()).as(jvm.dump()).isZero();
      assertThat(jvm.out)
          .as(jvm.dump())
          .contains("early static price=new timeout=1000", "early main price=new timeout=1000");
      assertThat(jvm.err)
          .as(jvm.dump())
          .anyMatch(l -> l.contains("the dynconfig engine could not start"))
          // a call that had waited until the deadline would say so
          .noneMatch(l -> l.contains("gave up"));
    }
  }

  @Test
  void engineSlowerThanTheWait_firstCallsGiveUpWithAWarning_andTheEngineTakesOverLater()
      throws Exception {
    Fixtures.assumeEngine();
    // initTimeout=0: the first calls wait 0 + 10 s; the engine's start is held back until the
    // warning was seen (a fixed delay would race the child's own start on a loaded machine).
    try (ChildJvm jvm = startEarlyApp("file=flags.json,initTimeout=0", "engineHold", "ticks")) {
      assertThat(jvm.awaitOut(0, l -> l.startsWith("early main"), "first calls"))
          .isEqualTo("early main price=new timeout=1000");
      assertThat(jvm.out).contains("early static price=new timeout=1000");
      String warning = jvm.awaitErr(l -> l.contains("gave up"), "the timeout warning");
      assertThat(warning)
          .contains("WARN")
          .contains("thread 'main'")
          .contains("initTimeout PT0S + 10 s");
      assertThat(jvm.err.stream().filter(l -> l.contains("gave up"))).hasSize(1);
      Files.createFile(dir.resolve(Fault.RELEASE_FILE));
      jvm.awaitOut(0, l -> l.equals("tick price=legacy timeout=2500"), "the engine's values");
    }
  }

  /**
   * Starts {@code EarlyApp} with the agent on a flag file whose values differ from every method's
   * own body, optionally with a fault injected into the agent (the test-only fault agent).
   */
  private ChildJvm startEarlyApp(String agentOptions, String fault, String... appArgs)
      throws Exception {
    Files.writeString(dir.resolve("flags.json"), Fixtures.document(1, false, 2500, 34, 33, 33));
    List<String> command = new java.util.ArrayList<>();
    if (fault != null) {
      command.add(ChildJvm.faultAgent(fault));
    }
    command.add(agent(agentOptions));
    command.addAll(List.of("-cp", Fixtures.appClasspath("current"), "com.acme.itapp.EarlyApp"));
    command.addAll(List.of(appArgs));
    return ChildJvm.start(dir, command);
  }
}
