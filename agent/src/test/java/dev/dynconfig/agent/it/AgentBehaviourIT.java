package dev.dynconfig.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.TestVariant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rewritten methods of a legacy app ({@code com.acme.itapp}) in forked JVMs started with the
 * real shaded jar, following edits of a local flag file.
 */
class AgentBehaviourIT {
  private static final int USERS = 12;

  @TempDir Path dir;
  private Path flags;

  @BeforeEach
  void setUp() throws Exception {
    Fixtures.assumeEngine();
    flags = dir.resolve("flags.json");
    Fixtures.write(flags, Fixtures.document(1, true, 1500, 34, 33, 33));
  }

  /** {@code jvmArgs} with the test-only fault agent first, ahead of dynconfig's agent. */
  private static List<String> withFaultAgent(String fault, List<String> jvmArgs) {
    List<String> args = new ArrayList<>();
    args.add(ChildJvm.faultAgent(fault));
    args.addAll(jvmArgs);
    return args;
  }

  private List<String> jvm(String mainClass, String classpath, String... extra) {
    List<String> args = new ArrayList<>();
    args.add("-javaagent:" + ChildJvm.AGENT_JAR.toAbsolutePath() + "=file=flags.json");
    args.addAll(List.of(extra));
    args.add("-cp");
    args.add(classpath);
    args.add(mainClass);
    args.add(String.valueOf(USERS));
    return args;
  }

  @Test
  void togglesVariantsAndConfig_followFileEdits() throws Exception {
    try (ChildJvm app =
        ChildJvm.start(dir, jvm("com.acme.itapp.FlagApp", Fixtures.appClasspath("current")))) {
      app.awaitOut(0, l -> l.startsWith("tick price=new timeout=1500 refused=42"), "live values");
      int mark = app.out.size();
      Fixtures.write(flags, Fixtures.document(2, false, 2500, 100, 0, 0));
      String line =
          app.awaitOut(mark, l -> l.startsWith("tick price=legacy timeout=2500"), "after edit");
      assertThat(steps(line).values()).as(line).containsOnly(3);
      mark = app.out.size();
      Fixtures.write(flags, Fixtures.document(3, false, 2500, 0, 100, 0));
      line = app.awaitOut(mark, l -> l.contains("user-0=2"), "everyone in variant-a");
      assertThat(steps(line).values()).as(line).containsOnly(2);
    }
  }

  @Test
  void variants_areStickyPerUser_fromTheAppsMdc_andMatchTheEngine() throws Exception {
    Map<String, Integer> expected = expectedSteps();
    assertThat(expected.values()).as("sample users spread over variants").hasSizeGreaterThan(0);
    assertThat(new java.util.HashSet<>(expected.values())).hasSizeGreaterThan(1);
    try (ChildJvm app =
        ChildJvm.start(dir, jvm("com.acme.itapp.FlagApp", Fixtures.appClasspath("current")))) {
      app.awaitOut(0, l -> l.startsWith("tick"), "first tick");
      for (int i = 0; i < 5; i++) {
        String line = app.awaitOut(app.out.size(), l -> l.startsWith("tick"), "tick " + i);
        assertThat(steps(line)).as(line).isEqualTo(expected);
      }
    }
  }

  @Test
  void appWithItsOwnOlderJacksonNettyAndSlf4j_keepsThem_andIsRewritten() throws Exception {
    try (ChildJvm app =
        ChildJvm.start(
            dir,
            jvm("com.acme.itapp.FlagApp", Fixtures.appClasspath("old"), "-Ditapp.libs=true"))) {
      String libs = app.awaitOut(0, l -> l.startsWith("libs "), "library versions");
      assertThat(libs)
          .contains("jackson=2.12.")
          .contains("netty=4.1.")
          .contains("slf4j=ch.qos.logback.classic.LoggerContext")
          .contains("probe=7");
      String line = app.awaitOut(0, l -> l.startsWith("tick price=new timeout=1500"), "tick");
      assertThat(steps(line)).isEqualTo(expectedSteps());
    }
  }

  @Test
  void appInChildFirstClassLoader_isRewritten_andReadsItsOwnMdc() throws Exception {
    String childCp = Fixtures.appClasspath("current");
    try (ChildJvm app =
        ChildJvm.start(
            dir,
            jvm(
                "com.acme.itapp.ChildFirstMain",
                Fixtures.testClasses().toString(),
                "-Ditapp.childFirst.cp=" + childCp))) {
      app.awaitOut(0, l -> l.equals("loader com.acme.itapp.ChildFirstMain$ChildFirst"), "loader");
      String line = app.awaitOut(0, l -> l.startsWith("tick price=new timeout=1500"), "tick");
      assertThat(steps(line)).isEqualTo(expectedSteps());
      int mark = app.out.size();
      Fixtures.write(flags, Fixtures.document(2, false, 1500, 34, 33, 33));
      app.awaitOut(mark, l -> l.startsWith("tick price=legacy"), "toggle off");
    }
  }

  @Test
  void refusedAnnotation_isLoggedOnce_andMethodKeepsWorking() throws Exception {
    try (ChildJvm app =
        ChildJvm.start(dir, jvm("com.acme.itapp.FlagApp", Fixtures.appClasspath("current")))) {
      app.awaitOut(0, l -> l.contains("refused=42"), "refused method result");
      app.awaitErr(
          l -> l.contains("@Toggle on com.acme.itapp.Checkout#refused() refused"), "refusal log");
      app.awaitOut(app.out.size(), l -> l.contains("refused=42"), "still 42");
      assertThat(app.err.stream().filter(l -> l.contains("Checkout#refused()"))).hasSize(1);
    }
  }

  @Test
  void corruptFlagFile_neverSurfacesInTheApp_andLastGoodVersionKeepsServing() throws Exception {
    try (ChildJvm app =
        ChildJvm.start(dir, jvm("com.acme.itapp.FlagApp", Fixtures.appClasspath("current")))) {
      app.awaitOut(0, l -> l.startsWith("tick price=new timeout=1500"), "live values");
      Fixtures.write(flags, "{ \"version\": 2, \"flags\": [ {\"key\": ");
      app.awaitErr(l -> l.startsWith("[dynconfig]") && l.contains("flags.json"), "rejection log");
      int mark = app.out.size();
      String line = app.awaitOut(mark, l -> l.startsWith("tick"), "tick after corrupt edit");
      assertThat(line).startsWith("tick price=new timeout=1500");
      Fixtures.write(flags, Fixtures.document(3, false, 1500, 34, 33, 33));
      app.awaitOut(mark, l -> l.startsWith("tick price=legacy"), "recovered");
    }
  }

  @Test
  void injectedEvaluationFault_runsOriginalBodies_andNeverThrowsIntoTheApp() throws Exception {
    Fixtures.write(flags, Fixtures.document(1, false, 2500, 0, 100, 0));
    try (ChildJvm app =
        ChildJvm.start(
            dir,
            withFaultAgent(
                "evaluate", jvm("com.acme.itapp.FlagApp", Fixtures.appClasspath("current"))))) {
      String line = app.awaitOut(0, l -> l.startsWith("tick"), "tick");
      assertThat(line).startsWith("tick price=new timeout=1000 refused=42");
      assertThat(steps(line).values()).containsOnly(3);
      app.awaitOut(app.out.size(), l -> l.startsWith("tick"), "keeps running");
    }
  }

  @Test
  void lateAttach_rewritesAlreadyLoadedClassesOnce() throws Exception {
    Fixtures.write(flags, Fixtures.document(1, false, 2500, 34, 33, 33));
    List<String> args = new ArrayList<>();
    args.add("-XX:+EnableDynamicAgentLoading");
    args.add("-cp");
    args.add(Fixtures.appClasspath("current"));
    args.add("com.acme.itapp.FlagApp");
    args.add(String.valueOf(USERS));
    try (ChildJvm app = ChildJvm.start(dir, args)) {
      app.awaitOut(0, l -> l.startsWith("tick price=new timeout=1000"), "unmodified app");
      VirtualMachine vm = VirtualMachine.attach(String.valueOf(app.pid()));
      try {
        vm.loadAgent(ChildJvm.AGENT_JAR.toAbsolutePath().toString(), "file=" + flags);
      } finally {
        vm.detach();
      }
      String line =
          app.awaitOut(0, l -> l.startsWith("tick price=legacy timeout=2500"), "after attach");
      assertThat(steps(line)).isEqualTo(expectedSteps());
    }
  }

  /** What the engine itself assigns to the sample users, as steps (control 3, a 2, b 1). */
  private Map<String, Integer> expectedSteps() {
    Map<String, Integer> expected = new HashMap<>();
    try (DynamicConfig engine =
        DynamicConfig.create(DynamicConfigOptions.builder().file(flags).build())) {
      engine.initialize();
      for (int i = 0; i < USERS; i++) {
        TestVariant v = engine.getVariant("checkout-experiment", "user-" + i);
        String id = v == null ? "control" : v.id();
        expected.put("user-" + i, id.equals("variant-a") ? 2 : id.equals("variant-b") ? 1 : 3);
      }
    }
    return expected;
  }

  private static Map<String, Integer> steps(String line) {
    Map<String, Integer> steps = new HashMap<>();
    for (String part : line.split(" ")) {
      if (part.startsWith("user-")) {
        String[] kv = part.split("=");
        steps.put(kv[0], Integer.parseInt(kv[1]));
      }
    }
    return steps;
  }
}
