package dev.dynconfig.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.TestVariant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent buckets exactly as the library does: {@code com.acme.itapp.BucketingApp} runs under the
 * real agent and names its users in four ways (a targeting key and a user id, a user id and a
 * session id, a session id in the scope with the user id in the MDC, the MDC alone); for every flag
 * shape (static, plain rollout, rule with rollout, A/B test) each answer must equal the library's
 * for the same context.
 */
class BucketingAgreementIT {
  private static final int USERS = 40;
  private static final String FLAGS =
      """
      {"version": 1,
       "flags": [
         {"key": "bk-static", "defaultValue": true},
         {"key": "bk-rollout", "defaultValue": false, "rolloutPercentage": 50},
         {"key": "bk-rule", "defaultValue": false, "rolloutPercentage": 50,
          "targeting": {"==": [{"var": "plan"}, "premium"]}}],
       "tests": [{"id": "bk-test", "status": "running",
                  "variants": [{"id": "control", "isControl": true}, {"id": "variant-a"}],
                  "allocation": {"control": 50, "variant-a": 50}}]}
      """;

  @TempDir Path dir;
  private Path flags;

  @BeforeEach
  void setUp() throws Exception {
    Fixtures.assumeEngine();
    flags = dir.resolve("flags.json");
    Fixtures.write(flags, FLAGS);
  }

  @Test
  void agentAndLibrary_bucketTheSameUsers_forEveryFlagShape_withTargetingKeyAndUserIdSet()
      throws Exception {
    List<String> expected = new ArrayList<>();
    try (DynamicConfig library =
        DynamicConfig.create(DynamicConfigOptions.builder().file(flags).build())) {
      library.initialize();
      for (int i = 0; i < USERS; i++) {
        expected.add(
            line(
                library,
                "A",
                i,
                EvaluationContext.builder().targetingKey("t-" + i).userId("u-" + i)));
        expected.add(
            line(
                library, "B", i, EvaluationContext.builder().userId("u-" + i).sessionId("s-" + i)));
        expected.add(
            line(
                library, "C", i, EvaluationContext.builder().userId("m-" + i).sessionId("s-" + i)));
        expected.add(lineWithoutPlan(library, i));
      }
    }
    Set<String> rolloutAnswers = new HashSet<>();
    for (String l : expected) {
      rolloutAnswers.add(l.replaceAll(".* rollout=(\\w+).*", "$1"));
    }
    assertThat(rolloutAnswers).as("the sample users fall on both sides of the rollout").hasSize(2);
    List<String> args = new ArrayList<>();
    args.add("-javaagent:" + ChildJvm.AGENT_JAR.toAbsolutePath() + "=file=flags.json");
    args.add("-cp");
    args.add(Fixtures.appClasspath("current"));
    args.add("com.acme.itapp.BucketingApp");
    args.add(String.valueOf(USERS));
    try (ChildJvm app = ChildJvm.start(dir, args)) {
      assertThat(app.awaitExit()).as(app.dump()).isZero();
      List<String> actual = new ArrayList<>(app.out);
      actual.remove("done");
      assertThat(actual).isEqualTo(expected);
    }
  }

  private static String line(
      DynamicConfig library, String how, int i, EvaluationContext.Builder b) {
    return answers(library, how, i, b.attribute("plan", "premium").build());
  }

  private static String lineWithoutPlan(DynamicConfig library, int i) {
    return answers(library, "D", i, EvaluationContext.builder().userId("m-" + i).build());
  }

  private static String answers(DynamicConfig library, String how, int i, EvaluationContext c) {
    TestVariant v = library.getVariant("bk-test", c);
    return how
        + " "
        + i
        + " static="
        + onOff(library.isFlagEnabled("bk-static", c))
        + " rollout="
        + onOff(library.isFlagEnabled("bk-rollout", c))
        + " rule="
        + onOff(library.isFlagEnabled("bk-rule", c))
        + " variant="
        + (v == null ? "control" : v.id());
  }

  private static String onOff(boolean on) {
    return on ? "on" : "off";
  }
}
