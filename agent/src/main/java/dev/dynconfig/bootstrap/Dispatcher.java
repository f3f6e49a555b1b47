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
   * them for this site), or a negative number to run the entry method's own body.
   */
  int variant(int site);

  /**
   * {@code @ConfigValue}: the live value already converted to the method's return type (a box for
   * primitives), or {@link Bridge#NO_VALUE} to run the method's body.
   */
  Object config(int site);

  /** Told about a throwable the bridge caught from this dispatcher; must not throw. */
  void failed(int site, Throwable failure);
}
