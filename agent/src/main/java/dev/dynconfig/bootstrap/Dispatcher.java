package dev.dynconfig.bootstrap;

/**
 * What rewritten methods call, through {@link Bridge}: implemented by the engine side of the agent
 * and installed with {@link Bridge#install(Dispatcher)}. Lives on the bootstrap class path, so it
 * may only use JRE types.
 *
 * <p>Every {@code site} is an id the agent assigned to one annotated method when it rewrote it.
 * Implementations must not allocate on these calls in the steady state; they may throw (the bridge
 * catches everything and runs the method's original body), but should not.
 */
public interface Dispatcher {

  /** {@code @Toggle}: true to run the method's body, false to run its {@code otherwise}. */
  boolean toggle(int site);

  /**
   * {@code @Variant}: the index of the sibling method to run (in the order the agent registered
   * them for this site); the number of siblings to run the entry method's own body as the assigned
   * control (counted, see {@link #controlStart}); a negative number to run it otherwise.
   */
  int variant(int site);

  /**
   * {@code @ConfigValue}: the live value already converted to the method's return type (a box for
   * primitives), or {@link Bridge#NO_VALUE} to run the method's body.
   */
  Object config(int site);

  /**
   * {@code @Variant}: sibling {@code variant} is about to run for an assignment; returns its start
   * ({@code System.nanoTime()}) if this call is timed, else 0. Must not throw.
   */
  default long variantStart(int site, int variant) {
    return 0;
  }

  /**
   * {@code @Variant}: sibling {@code variant} returned; {@code start} from {@link #variantStart}.
   */
  default void variantEnd(long start, int site, int variant) {}

  /** {@code @Variant}: sibling {@code variant} threw. */
  default void variantFailed(int site, int variant) {}

  /** {@code @Variant}: the entry's own body is about to run as the assigned control. */
  default void controlStart(int site) {}

  /** {@code @Variant}: the entry's own body returns (whether or not it ran as the control). */
  default void bodyEnd(int site) {}

  /** {@code @Variant}: the entry's own body threw (whether or not it ran as the control). */
  default void bodyFailed(int site) {}

  /** Told about a throwable the bridge caught from this dispatcher; must not throw. */
  void failed(int site, Throwable failure);
}
