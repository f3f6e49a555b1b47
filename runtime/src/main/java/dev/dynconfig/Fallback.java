package dev.dynconfig;

/** What {@code initialize()} does when the source cannot be reached. */
public enum Fallback {
  /** Serve the offline cache when it is younger than {@code cacheDuration}, else code defaults. */
  CACHE,
  /** Start on code defaults. */
  DEFAULT,
  /** Fail {@code initialize()} with a {@link DynamicConfigException}. */
  THROW
}
