package dev.dynconfig.agent.internal;

import dev.dynconfig.internal.insight.AnonymousCalls;
import dev.dynconfig.internal.insight.ClosestKey;
import dev.dynconfig.internal.insight.UnknownKeys;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one site tells operators about itself: whether its key is missing from the configuration
 * (one WARN when first found missing, again only after it existed and disappeared; listed in {@link
 * UnknownKeys}) and how many of its calls had no bucketing key ({@link AnonymousCalls}; one INFO
 * the first time). Checked once per site and snapshot swap, or on the anonymous path only: never on
 * the common hot path.
 */
final class SiteInsight {
  private static final Logger log = LoggerFactory.getLogger(SiteInsight.class);

  private static final int NOT_CHECKED = 0;
  private static final int KNOWN = 1;
  private static final int UNKNOWN = 2;

  private final AtomicInteger keyState = new AtomicInteger(NOT_CHECKED);
  private final AtomicBoolean anonymousLogged = new AtomicBoolean();
  private final AtomicBoolean nothingLoadedLogged = new AtomicBoolean();
  private volatile AtomicLong anonymous;

  /** Whether the key was last found missing (a cheap check before {@link #keyChecked}). */
  boolean keyUnknown() {
    return keyState.get() == UNKNOWN;
  }

  /**
   * Records whether the site's key exists in the current snapshot; logs and reports a missing key
   * once per appearance of the problem. {@code evaluator} supplies the existing keys for the
   * suggestion; it is asked only when the key is missing.
   */
  void keyChecked(Site site, boolean exists, Evaluator evaluator) {
    if (exists) {
      if (keyState.getAndSet(KNOWN) == UNKNOWN) {
        UnknownKeys.resolved(key(site), site.display);
      }
      return;
    }
    if (!evaluator.hasConfiguration()) {
      // Nothing loaded yet: every key is missing, which says nothing about this one, so it is not
      // reported as unknown; the user still learns once why the method keeps its default.
      if (nothingLoadedLogged.compareAndSet(false, true)) {
        log.warn(
            "{} {}: {} '{}' is not defined because no configuration has been loaded yet; {}"
                + " (logged once per method)",
            annotation(site),
            site.display,
            kindName(site),
            key(site),
            consequence(site));
      }
      return;
    }
    int previous = keyState.getAndSet(UNKNOWN);
    if (previous == UNKNOWN) {
      return;
    }
    String key = key(site);
    UnknownKeys.report(key, site.display);
    String closest = ClosestKey.find(key, evaluator.knownKeys(kind(site)));
    log.warn(
        "{} {}: {} '{}' {} in {}{}; {} (logged again only if the key disappears after a source"
            + " defined it)",
        annotation(site),
        site.display,
        kindName(site),
        key,
        previous == KNOWN ? "is no longer defined" : "is not defined",
        evaluator.describeSnapshot(),
        closest == null ? "" : " (closest existing key: '" + closest + "')",
        consequence(site));
  }

  /**
   * Counts a call that needed a bucketing key and had none; the first one of the site is logged
   * with where the key was looked for.
   */
  void anonymousCall(Site site, String lookedUp) {
    AtomicLong counter = anonymous;
    if (counter == null) {
      counter = AnonymousCalls.counter(site.display);
      anonymous = counter;
    }
    counter.incrementAndGet();
    if (!anonymousLogged.get() && anonymousLogged.compareAndSet(false, true)) {
      log.info(
          "{} {}: a call needed a user id for {} '{}' and had none ({}); such calls are counted"
              + " as anonymous (JMX DynamicConfig.AnonymousCalls) and {} (logged once per"
              + " method)",
          annotation(site),
          site.display,
          kindName(site),
          key(site),
          lookedUp,
          site instanceof Site.VariantSite
              ? "get no variant: the entry method's own body runs"
              : "are outside the rollout");
    }
  }

  /** The calls counted by {@link #anonymousCall}. */
  long anonymousCount() {
    AtomicLong counter = anonymous;
    return counter == null ? 0 : counter.get();
  }

  static String key(Site site) {
    if (site instanceof Site.ToggleSite t) {
      return t.flag;
    }
    if (site instanceof Site.VariantSite v) {
      return v.test;
    }
    Site.ConfigSite c = (Site.ConfigSite) site;
    return c.namespace + "." + c.key;
  }

  static Evaluator.KeyKind kind(Site site) {
    if (site instanceof Site.ToggleSite) {
      return Evaluator.KeyKind.FLAG;
    }
    return site instanceof Site.VariantSite ? Evaluator.KeyKind.TEST : Evaluator.KeyKind.CONFIG;
  }

  static String annotation(Site site) {
    if (site instanceof Site.ToggleSite) {
      return "@Toggle";
    }
    return site instanceof Site.VariantSite ? "@Variant" : "@ConfigValue";
  }

  private static String kindName(Site site) {
    if (site instanceof Site.ToggleSite) {
      return "flag";
    }
    return site instanceof Site.VariantSite ? "test" : "config key";
  }

  private static String consequence(Site site) {
    if (site instanceof Site.ToggleSite t) {
      return "the method behaves as if the flag were "
          + (t.defaultValue ? "on" : "off")
          + " (the annotation's default) until a source defines it";
    }
    if (site instanceof Site.VariantSite) {
      return "the entry method's own body runs until a source defines the test";
    }
    return "the method's own value is used until a source defines the key";
  }
}
