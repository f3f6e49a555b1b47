package dev.dynconfig.agent.internal;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All sites, indexed by id. Registration (at transform time) is rare and synchronized; lookups on
 * the hot path are one volatile read and an array access.
 *
 * <p>A site whose class loader has been collected (an undeployed web application) is removed, with
 * its JMX guarded-method entry, by the daemon thread {@code dynconfig-site-cleaner}; its id is not
 * reused (only the collected classes' code named it).
 */
final class SiteRegistry {
  private static final Logger log = LoggerFactory.getLogger(SiteRegistry.class);
  private static final ReferenceQueue<ClassLoader> COLLECTED = new ReferenceQueue<>();
  private static Thread cleaner; // guarded by SiteRegistry.class

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
    LoaderRef ref = site.loaderRef();
    if (!ref.bootstrap) {
      ref.registry = this;
    }
    return site;
  }

  /** The site with this id; throws for an unknown or removed id (the bridge runs the body). */
  Site get(int id) {
    return Objects.requireNonNull(sites[id], "site removed with its class loader");
  }

  /** A snapshot of all registered sites whose class loader is alive. */
  synchronized List<Site> all() {
    List<Site> all = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      if (sites[i] != null) {
        all.add(sites[i]);
      }
    }
    return all;
  }

  /** Forgets the site: its class loader has been collected. */
  synchronized void remove(int id) {
    Site site = sites[id];
    if (site == null) {
      return;
    }
    Site[] copy = sites.clone();
    copy[id] = null;
    sites = copy;
    if (site instanceof Site.ToggleSite t) {
      GuardedMethods.forgetFlag(t.flag, t.display);
    } else if (site instanceof Site.VariantSite v) {
      GuardedMethods.forgetTest(v.test, v.display);
    }
    log.debug("removed {}: its class loader has been collected", site.display);
  }

  /**
   * Starts the cleaner thread (once per JVM). Called when the agent starts, never on an application
   * thread: a thread inherits its creator's inheritable thread-locals and (JDK 17) access-control
   * context, which would pin that application's classes for the life of the JVM.
   */
  static synchronized void startCleaner() {
    if (cleaner != null) {
      return;
    }
    Thread t = new Thread(SiteRegistry::clean, "dynconfig-site-cleaner");
    t.setDaemon(true);
    t.setContextClassLoader(null); // never pin whichever application triggered the start
    t.start();
    cleaner = t;
  }

  private static void clean() {
    while (true) {
      try {
        LoaderRef ref = (LoaderRef) COLLECTED.remove();
        SiteRegistry registry = ref.registry;
        if (registry != null) {
          registry.remove(ref.siteId);
        }
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        log.warn("forgetting the sites of a collected class loader failed", t);
      }
    }
  }

  /** A site's class loader, weakly; queued for the cleaner once the loader is collected. */
  static final class LoaderRef extends WeakReference<ClassLoader> {
    final int siteId;
    final boolean bootstrap;
    volatile SiteRegistry registry;

    LoaderRef(ClassLoader loader, int siteId) {
      super(loader, loader == null ? null : COLLECTED);
      this.siteId = siteId;
      this.bootstrap = loader == null;
    }
  }
}
