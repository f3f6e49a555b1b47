package dev.dynconfig.agent.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * All sites, indexed by id. Registration (at transform time) is rare and synchronized; lookups on
 * the hot path are one volatile read and an array access.
 */
final class SiteRegistry {
  private volatile Site[] sites = new Site[64];
  private int size;

  /**
   * Whether rewritten {@code @Variant} methods count exposures (agent option {@code exposures}).
   */
  final boolean exposures;

  SiteRegistry() {
    this(true);
  }

  SiteRegistry(boolean exposures) {
    this.exposures = exposures;
  }

  /** Registers a site built by {@code factory} with the next id. */
  synchronized <S extends Site> S register(java.util.function.IntFunction<S> factory) {
    S site = factory.apply(size);
    Site[] current = sites;
    if (size == current.length) {
      current = Arrays.copyOf(current, size * 2);
    }
    current[size++] = site;
    sites = current; // volatile write publishes the element written above
    return site;
  }

  /** The site with this id; throws for an unknown id (the bridge turns that into "run body"). */
  Site get(int id) {
    return sites[id];
  }

  /** A snapshot of all registered sites. */
  synchronized List<Site> all() {
    return new ArrayList<>(Arrays.asList(sites).subList(0, size));
  }
}
