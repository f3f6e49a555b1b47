package dev.dynconfig.agent.internal;

import dev.dynconfig.bootstrap.Bridge;
import dev.dynconfig.bootstrap.ToggleConstant;
import java.util.Arrays;

/**
 * Keeps the {@link Bridge}'s table of {@link ToggleConstant}s: the {@code @Toggle} sites whose flag
 * gives the same answer to every call until the configuration changes, so the bridge answers them
 * without the dispatcher (BENCHMARKS.md section 2: a static toggle then costs about as much as the
 * plain method).
 *
 * <p>A site is learnt on its first call after a change ({@link #learn}, once per site and change:
 * copy-on-write of a small array), and every change withdraws the whole table ({@link #reset}), so
 * an answer never outlives its snapshot by more than the moment between the swap and the swap
 * listener (on the thread that made the change). Both run under one lock and carry the dispatcher's
 * generation object, so an answer computed from a snapshot that was replaced meanwhile is dropped
 * rather than published after the reset.
 */
final class ToggleConstants {
  private static final ToggleConstant[] NONE = new ToggleConstant[0];

  private final Evaluator evaluator;
  private Object generation; // guarded by this
  private ToggleConstant[] table = NONE; // guarded by this; published to the bridge as is

  ToggleConstants(Evaluator evaluator, Object generation) {
    this.evaluator = evaluator;
    this.generation = generation;
  }

  /** The configuration changed: withdraw every answer; {@code next} identifies the new one. */
  synchronized void reset(Object next) {
    generation = next;
    table = NONE;
    Bridge.publishToggleConstants(NONE);
  }

  /**
   * Publishes {@code site}'s answer if its flag is constant in the configuration identified by
   * {@code seen} and that is still the current one.
   */
  synchronized void learn(Site.ToggleSite site, Object seen) {
    if (seen != generation) {
      return;
    }
    ToggleConstant constant = evaluator.toggleConstant(site.flag, site.defaultBox);
    if (constant == null) {
      return;
    }
    ToggleConstant[] next = Arrays.copyOf(table, Math.max(table.length, site.id + 1));
    next[site.id] = constant;
    table = next;
    Bridge.publishToggleConstants(next);
  }
}
