package dev.dynconfig.agent.internal;

import dev.dynconfig.EvaluationContext;
import dev.dynconfig.TestVariant;
import dev.dynconfig.bootstrap.Bridge;
import dev.dynconfig.bootstrap.Dispatcher;
import dev.dynconfig.internal.json.Json;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine side of the bridge: maps a site id to its flag, test or config key, assembles the
 * context and asks the {@link Evaluator}. Failures are thrown to the {@link Bridge}, which runs the
 * original body and reports them back to {@link #failed}, where they are logged rate-limited.
 *
 * <p>Context-free fast path: reading the context costs several MDC lookups per call, wasted when
 * the result cannot depend on it (an override, a flag without targeting/rollout/environments/
 * minimum role, an unknown flag or test). Each site therefore caches, per snapshot, whether it
 * needs the context ({@link Site.ToggleShape}, {@link Site.Shape}); a context-free {@code @Toggle}
 * evaluates with the shared empty context (so the engine still counts the evaluation and checks
 * expiry), a plain rollout reads only the bucketing key (one MDC read, no context object) and an
 * unknown {@code @Variant} test runs the entry body without asking. A {@code @Variant} reads only
 * the bucketing key and environment, all an assignment depends on. The cache is keyed by {@link
 * #generation}, a fresh object after every snapshot swap, so checking it is two volatile reads and
 * an identity comparison; recomputing it (once per site and swap) is the only allocation. A
 * context-free toggle whose answer is also independent of the clock (no expiry) goes one step
 * further: its first call after a change publishes the answer to the bridge ({@link
 * ToggleConstants}), which then serves later calls without reaching this class at all.
 *
 * <p>Between a swap and its notification (microseconds, on the thread that made the change) a call
 * may still use the previous snapshot's shape with the new snapshot; that can only evaluate a flag
 * that just gained targeting once with an empty context, never throw.
 */
final class EngineDispatcher implements Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(EngineDispatcher.class);
  private static final long FAILURE_LOG_INTERVAL_NANOS = 60_000_000_000L;

  private final SiteRegistry sites;
  private final Evaluator evaluator;
  private final ContextAssembler contexts;

  private final AtomicLong lastFailureLog =
      new AtomicLong(System.nanoTime() - 2 * FAILURE_LOG_INTERVAL_NANOS);
  private final AtomicLong suppressedFailures = new AtomicLong();
  private final Set<String> conversionProblems = ConcurrentHashMap.newKeySet();

  /** Marks a running control call that is not timed (see {@link #controlCalls}). */
  private static final long UNTIMED = Long.MIN_VALUE;

  /**
   * Per thread, by site id: the start of the entry body running as the control ({@link #UNTIMED}
   * when not timed), 0 when none; the rewritten body's returns and its exception handler end it. A
   * recursive call of the same site ends the outer one early (that call is then not timed).
   */
  private final ThreadLocal<long[]> controlCalls = ThreadLocal.withInitial(() -> new long[16]);

  /** Replaced by a new object after every snapshot swap; see {@link Site.Shape}. */
  private volatile Object generation = new Object();

  /** Constant {@code @Toggle} answers the bridge serves alone; null when every call comes here. */
  private final ToggleConstants constants;

  EngineDispatcher(SiteRegistry sites, Evaluator evaluator, ContextAssembler contexts) {
    this(sites, evaluator, contexts, true);
  }

  /**
   * @param bridgeAnswersConstants whether constant {@code @Toggle} answers are published to the
   *     bridge, which then serves them without calling a dispatcher; false when this dispatcher is
   *     wrapped ({@link AgentHooks#dispatcher}) and the wrapper must see every call
   */
  EngineDispatcher(
      SiteRegistry sites,
      Evaluator evaluator,
      ContextAssembler contexts,
      boolean bridgeAnswersConstants) {
    this.sites = sites;
    this.evaluator = evaluator;
    this.contexts = contexts;
    this.constants = bridgeAnswersConstants ? new ToggleConstants(evaluator, generation) : null;
    evaluator.onSnapshotSwap(
        () -> {
          Object next = new Object();
          if (constants != null) {
            constants.reset(next);
          }
          generation = next;
        });
  }

  @Override
  public boolean toggle(int id) {
    Site.ToggleSite site = (Site.ToggleSite) sites.get(id);
    Object g = generation;
    Site.ToggleShape shape = site.shape;
    if (shape == null || shape.generation() != g) {
      // Read after g: if another swap happens meanwhile, g is already stale and we recompute.
      shape =
          new Site.ToggleShape(
              g, evaluator.contextNeeds(site.flag), evaluator.usesBucketing(site.flag));
      site.shape = shape;
      site.insight.keyChecked(site, evaluator.hasFlag(site.flag), evaluator);
      if (shape.needs() == Evaluator.Needs.NOTHING && constants != null) {
        constants.learn(site, g); // later calls may not reach this dispatcher until a change
      }
    }
    Evaluator.Needs needs = shape.needs();
    if (needs == Evaluator.Needs.NOTHING) {
      return evaluator.flag(site.flag, EvaluationContext.empty(), site.defaultBox);
    }
    if (needs == Evaluator.Needs.BUCKETING_KEY) {
      String key = bucketingKey(site);
      if (key == null && shape.bucketed()) {
        site.insight.anonymousCall(site, contexts.bucketingKeySources());
      }
      boolean on = evaluator.flagForKey(site.flag, key, site.defaultBox);
      if (sites.exposures) {
        site.exposures.count(on ? 1 : 0);
      }
      return on;
    }
    EvaluationContext context = context(site);
    if (shape.bucketed() && context.bucketingKey() == null) {
      site.insight.anonymousCall(site, contexts.bucketingKeySources());
    }
    boolean on = evaluator.flag(site.flag, context, site.defaultBox);
    if (sites.exposures) {
      site.exposures.count(on ? 1 : 0);
    }
    return on;
  }

  @Override
  public int variant(int id) {
    Site.VariantSite site = (Site.VariantSite) sites.get(id);
    Object g = generation;
    Site.Shape shape = site.shape;
    if (shape == null || shape.generation() != g) {
      shape = new Site.Shape(g, !evaluator.hasTest(site.test));
      site.shape = shape;
      site.insight.keyChecked(site, !shape.fast(), evaluator);
    }
    if (shape.fast()) {
      return -1;
    }
    // An assignment depends on the bucketing key and the environment only: read just those.
    ContextReaders readers = ContextReaders.of(site);
    Map<String, Object> scope = readers.scope();
    String key = contexts.bucketingKey(readers, scope);
    if (key == null) {
      site.insight.anonymousCall(site, contexts.bucketingKeySources());
    }
    TestVariant variant = evaluator.variant(site.test, key, ContextAssembler.environment(scope));
    if (variant == null) {
      return -1;
    }
    if (variant.isControl()) {
      if (variant.id() != site.controlId) { // identity: the engine hands out the same strings
        site.controlId = variant.id();
      }
      return site.siblingIds.length; // the entry's own body, counted as the control
    }
    return site.indexOf(variant.id());
  }

  @Override
  public long variantStart(int id, int variant) {
    return ((Site.VariantSite) sites.get(id)).exposures.start(variant);
  }

  @Override
  public void variantEnd(long start, int id, int variant) {
    ((Site.VariantSite) sites.get(id)).exposures.end(start, variant);
  }

  @Override
  public void variantFailed(int id, int variant) {
    ((Site.VariantSite) sites.get(id)).exposures.failed(variant);
  }

  @Override
  public void controlStart(int id) {
    Site.VariantSite site = (Site.VariantSite) sites.get(id);
    long start = site.exposures.start(site.siblingIds.length);
    long[] running = controlCalls.get();
    if (id >= running.length) {
      running = java.util.Arrays.copyOf(running, Math.max(id + 1, running.length * 2));
      controlCalls.set(running);
    }
    running[id] = start == 0 ? UNTIMED : start;
  }

  @Override
  public void bodyEnd(int id) {
    long start = endControl(id);
    if (start != 0) {
      Site.VariantSite site = (Site.VariantSite) sites.get(id);
      site.exposures.end(start == UNTIMED ? 0 : start, site.siblingIds.length);
    }
  }

  @Override
  public void bodyFailed(int id) {
    if (endControl(id) != 0) {
      Site.VariantSite site = (Site.VariantSite) sites.get(id);
      site.exposures.failed(site.siblingIds.length);
    }
  }

  /** This thread's running control call of site {@code id}: its start, UNTIMED, or 0 if none. */
  private long endControl(int id) {
    long[] running = controlCalls.get();
    if (id >= running.length) {
      return 0;
    }
    long start = running[id];
    running[id] = 0;
    return start;
  }

  @Override
  public Object config(int id) {
    Site.ConfigSite site = (Site.ConfigSite) sites.get(id);
    Object raw = evaluator.config(site.namespace, site.key);
    if (raw == null) {
      if (!site.insight.keyUnknown()) {
        site.insight.keyChecked(site, false, evaluator);
      }
      return Bridge.NO_VALUE;
    }
    SiteState state = site.state();
    Site.Converted converted = state.converted;
    if (converted != null && converted.raw() == raw) {
      return converted.value();
    }
    site.insight.keyChecked(site, true, evaluator);
    // The value changed (a new snapshot): convert once and cache it for every later call.
    Object value = convert(site, state, raw);
    state.converted = new Site.Converted(raw, value);
    return value;
  }

  private Object convert(Site.ConfigSite site, SiteState state, Object raw) {
    try {
      return ValueConverter.convert(site, state, raw);
    } catch (Exception | LinkageError e) {
      String problem = site.namespace + "." + site.key + " = " + raw;
      if (conversionProblems.add(site.describe() + problem)) {
        log.warn(
            "@ConfigValue {}.{} = {} cannot be returned by {} of {}: {}; the method's own value"
                + " is used until the value changes",
            site.namespace,
            site.key,
            Json.write(raw),
            site.javaSignature(),
            site.ownerName,
            e.getMessage());
      }
      return Bridge.NO_VALUE;
    }
  }

  private String bucketingKey(Site site) {
    ContextReaders readers = ContextReaders.of(site);
    return contexts.bucketingKey(readers, readers.scope());
  }

  private EvaluationContext context(Site site) {
    return contexts.current(ContextReaders.of(site));
  }

  @Override
  public void failed(int id, Throwable failure) {
    long now = System.nanoTime();
    long last = lastFailureLog.get();
    if (now - last < FAILURE_LOG_INTERVAL_NANOS || !lastFailureLog.compareAndSet(last, now)) {
      suppressedFailures.incrementAndGet();
      return;
    }
    Site site = null;
    try {
      site = sites.get(id);
    } catch (RuntimeException ignored) {
      // unknown id: reported as such below
    }
    long suppressed = suppressedFailures.getAndSet(0);
    log.error(
        "evaluation for {} failed; the method's original body ran instead{}",
        site == null ? "site " + id : site.describe(),
        suppressed > 0 ? " (" + suppressed + " similar failures not logged)" : "",
        failure);
  }
}
