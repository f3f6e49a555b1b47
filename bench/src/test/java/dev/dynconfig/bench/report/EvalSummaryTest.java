package dev.dynconfig.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.bench.report.EvalSummary.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalSummaryTest {
  private static Result r(double ns, double bytes) {
    return new Result(ns, Double.NaN, Double.NaN, bytes);
  }

  private static Map<String, Result> peers() {
    Map<String, Result> results = new HashMap<>();
    for (String scenario : new String[] {"staticFlag", "rollout", "rule"}) {
      results.put("LaunchDarklyEval." + scenario, r(100, 376));
      results.put("TogglzEval." + scenario, r(50, 272));
      results.put("UnleashEval." + scenario, r(7000, 3360));
    }
    results.put("Ff4jEval.rollout", r(1, 208)); // fastest, but not deterministic
    return results;
  }

  @Test
  void missingBenchmarks_showAsFailed_notOmitted() {
    String table = EvalSummary.render(peers());
    assertThat(table).contains("| dynconfig | failed | failed | failed |");
    assertThat(table).contains("(a) static: not measured");
  }

  @Test
  void targets_areMarkedMissed_withTheNumbers() {
    Map<String, Result> results = peers();
    results.put("DynconfigEval.staticFlag", r(4, 0.001));
    results.put("DynconfigEval.rollout", r(45, 0.001));
    results.put("DynconfigEval.rule", r(20, 24));
    String targets = EvalSummary.targets(results);
    assertThat(targets).contains("(a) static: met: 4.0 ns ≤ 5.0 ns; met: 0 B/op = 0; met: 12.5×");
    assertThat(targets).contains("**MISSED**: 45.0 ns ≤ 40.0 ns");
    assertThat(targets).contains("**MISSED**: 24 B/op = 0");
  }

  @Test
  void rolloutComparison_skipsFf4j_becauseItsRolloutIsNotSticky() {
    Map<String, Result> results = peers();
    results.put("DynconfigEval.rollout", r(5, 0));
    assertThat(EvalSummary.targets(results))
        .contains(
            "(b) 25% rollout: met: 5.0 ns ≤ 40.0 ns; met: 0 B/op = 0; met: 10.0× ahead of Togglz");
  }

  @Test
  void read_takesScoreErrorMinAndAllocationFromJmhJson(@TempDir Path dir) throws IOException {
    Path json = dir.resolve("r.json");
    Files.writeString(
        json,
        """
        [{"benchmark": "dev.dynconfig.bench.eval.TogglzEval.rule",
          "primaryMetric": {"score": 20.0, "scoreError": 2.5, "scoreUnit": "ns/op",
                            "rawData": [[21.0, 18.5, 20.5]]},
          "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 472.0}}}]
        """);
    Result r = EvalSummary.read(json).get("TogglzEval.rule");
    assertThat(new double[] {r.ns(), r.nsError(), r.nsMin(), r.bytes()})
        .containsExactly(20, 2.5, 18.5, 472);
  }

  @Test
  void read_keepsEachForksMeanTimeAndAllocation(@TempDir Path dir) throws IOException {
    Path json = dir.resolve("r.json");
    Files.writeString(
        json,
        """
        [{"benchmark": "dev.dynconfig.bench.eval.DynconfigFlagdFileEval.staticFlag",
          "primaryMetric": {"score": 6.0, "scoreError": 1.0, "rawData": [[4.0, 6.0], [8.0, 8.0]]},
          "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 24.0,
                                                      "rawData": [[0.0, 0.0], [48.0, 48.0]]}}}]
        """);
    Result r = EvalSummary.read(json).get("DynconfigFlagdFileEval.staticFlag");
    assertThat(r.forkNs()).containsExactly(5.0, 8.0);
    assertThat(r.forkBytes()).containsExactly(0.0, 48.0);
    assertThat(EvalSummary.perFork(Map.of("DynconfigFlagdFileEval.staticFlag", r)))
        .contains("| (a) static | 5.0 ns, 0 B | 8.0 ns, 48 B |");
  }

  @Test
  void formats_missTheTarget_whenOneForkAllocatesOrTheFlagdRowIsSlower() {
    Map<String, Result> results = new HashMap<>();
    double[] none = {0, 0};
    results.put(
        "DynconfigNativeFileEval.staticFlag", new Result(5, 0, 5, 0, new double[] {5, 5}, none));
    results.put(
        "DynconfigFlagdFileEval.staticFlag",
        new Result(5.2, 0, 5, 24, new double[] {5, 5.4}, new double[] {0, 48}));
    results.put(
        "DynconfigNativeFileEval.rollout", new Result(35, 0, 34, 0, new double[] {34, 36}, none));
    results.put(
        "DynconfigFlagdFileEval.rollout", new Result(40, 0, 38, 0, new double[] {38, 42}, none));
    String formats = EvalSummary.formats(results);
    assertThat(formats)
        .contains(
            "(a) static: met: flagd 5.2 ns = 1.04× native 5.0 ns; **MISSED**: B/op in the"
                + " worst fork: native 0, flagd 48");
    assertThat(formats)
        .contains(
            "(b) 25% rollout: **MISSED**: flagd 40.0 ns = 1.14× native 35.0 ns; met: B/op in"
                + " the worst fork: native 0, flagd 0; **MISSED**: slowest fork: native 36.0 ns, flagd"
                + " 42.0 ns, ≤ 40.0 ns");
    assertThat(formats).contains("(c) rule: not measured.");
  }
}
