package dev.dynconfig.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.bench.report.EvalSummary.Result;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentSummaryTest {
  private static Result r(double ns, double bytes) {
    return new Result(ns, Double.NaN, ns, bytes);
  }

  private static Map<String, Result> results(double staticOn, double rollout, double rolloutBytes) {
    Map<String, Result> m = new HashMap<>();
    m.put("NoAgentHotPath.plain", r(0.5, 0));
    m.put("NoAgentHotPath.toggleStaticOn", r(0.5, 0));
    m.put("AgentHotPath.toggleStaticOn", r(staticOn, 0));
    m.put("AgentHotPath.toggleStaticOff", r(staticOn, 0));
    m.put("AgentHotPath.mdcPutThenPlain", r(12, 0));
    m.put("AgentHotPath.toggleRolloutFromMdc", r(rollout, rolloutBytes));
    return m;
  }

  @Test
  void targets_areMet_withinTwoNanosAndSixtyNanosAndNoAllocation() {
    String out = AgentSummary.render(results(2.4, 55, 0.001));
    assertThat(out).contains("- static toggle, on: met: +1.9 ns");
    assertThat(out).contains("- rollout from the MDC: met: 55.0 ns ≤ 60 ns");
    assertThat(out).contains("- 0 B/op: met: every case");
    assertThat(out).doesNotContain("MISSED");
  }

  @Test
  void targets_areMarkedMissed_withTheGap_andMissingRowsShowAsFailed() {
    String out = AgentSummary.render(results(10, 99, 48));
    assertThat(out).contains("- static toggle, off: **MISSED**: +9.5 ns");
    assertThat(out)
        .contains("**MISSED**: 99.0 ns ≤ 60 ns including the MDC.put (87.0 ns without it)");
    assertThat(out).contains("AgentHotPath.toggleRolloutFromMdc 48 B/op");
    assertThat(out).contains("| `@ConfigValue` (int) | `AgentHotPath.configValue` | failed | – |");
  }
}
