package com.acme.bench;

import dev.dynconfig.api.ConfigValue;
import dev.dynconfig.api.Toggle;
import dev.dynconfig.api.Variant;

/**
 * The application class measured by the agent benchmarks (section 2 of BENCHMARKS.md). It lives
 * outside {@code dev.dynconfig.*} because the agent never rewrites its own packages. Every body is
 * the same trivial arithmetic, so a benchmark measures the call and the agent's prologue, and each
 * branch returns a different value, so the benchmark's setup can tell which one ran (and thus
 * whether the agent really rewrote the method). Flags: {@code bench/src/main/resources/agent-bench/
 * flags.json}.
 */
public class Checkout {
  /** Not annotated: the baseline, and proof that the agent leaves other methods alone. */
  public int plain(int x) {
    return x + 1;
  }

  /** Flag on for everyone: the body runs. */
  @Toggle(flag = "bench-static-on", otherwise = "legacy")
  public int staticOn(int x) {
    return x + 1;
  }

  /** Flag off for everyone: {@link #legacy} runs. */
  @Toggle(flag = "bench-static-off", otherwise = "legacy")
  public int staticOff(int x) {
    return x + 1;
  }

  /** 25% rollout keyed by the MDC's {@code userId}. */
  @Toggle(flag = "bench-rollout-25", otherwise = "legacy")
  public int rollout(int x) {
    return x + 1;
  }

  /** The off branch of the toggles. */
  public int legacy(int x) {
    return x + 2;
  }

  /** A/B test entry (control); half of the users are sent to {@link #express}. */
  @Variant(test = "bench-checkout")
  public int steps(int x) {
    return x + 3;
  }

  /** The {@code express} variant of {@link #steps}. */
  @Variant(test = "bench-checkout", id = "express")
  public int express(int x) {
    return x + 4;
  }

  /** Runtime configuration {@code checkout.timeoutMs}; the body is the default. */
  @ConfigValue(namespace = "checkout", key = "timeoutMs")
  public int timeoutMs() {
    return 1000;
  }
}
