package dev.dynconfig.bootstrap;

/**
 * A {@code @Toggle} method's answer while the current configuration lasts, for a flag whose result
 * depends on nothing the call could supply (a static flag, an override, an undefined flag). The
 * {@link Bridge} serves it without calling the {@link Dispatcher}, which keeps a rewritten method
 * within a few instructions of the original. Published by the dispatcher with {@link
 * Bridge#publishToggleConstants} and withdrawn on every configuration change. JRE types only.
 */
public abstract class ToggleConstant {
  final boolean enabled;

  protected ToggleConstant(boolean enabled) {
    this.enabled = enabled;
  }

  /** Whether the method's body runs. */
  public final boolean enabled() {
    return enabled;
  }

  /** Called by rewritten {@code @Toggle} methods: counts this use and answers. Never throws. */
  public final boolean use() {
    try {
      recordUse();
    } catch (Throwable t) {
      // Only a count is lost; the answer stands.
    }
    return enabled;
  }

  /**
   * Counts one use (the engine's evaluation counters, as if it had been asked). Called on the hot
   * path: must not allocate, should not throw (the bridge then asks the dispatcher instead).
   */
  protected abstract void recordUse();
}
