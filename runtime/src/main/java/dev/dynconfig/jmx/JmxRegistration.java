package dev.dynconfig.jmx;

import dev.dynconfig.Subscription;
import dev.dynconfig.engine.EngineIntrospection;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers an engine's MBeans and keeps them in step with its snapshots: {@code
 * dev.dynconfig:type=DynamicConfig}, one {@code type=Flag,name=<key>} per flag and one {@code
 * type=Test,name=<id>} per A/B test, added and removed as reloads add and remove flags and tests.
 * {@link #close()} unregisters everything.
 *
 * <p>{@code DynamicConfig.initialize()} calls {@link #start(EngineIntrospection, Duration)} when
 * {@code registerJmx} is set: with {@code jmxRegistrationDelay = 0} (the library default)
 * registration is synchronous; with a positive delay (the agent) it happens on the daemon thread
 * {@value #THREAD_NAME} after that delay and, when {@link ContainerHints} says the application
 * installs its own MBeanServer or LogManager, once it has done so — so the agent never creates the
 * platform MBeanServer or LogManager before a container does.
 *
 * <p>Only one instance per MBeanServer owns the names: a second {@code DynamicConfig} registering
 * on the same server is logged and skipped.
 */
public final class JmxRegistration implements AutoCloseable {
  /** The JMX domain of all dynconfig MBeans. */
  public static final String DOMAIN = "dev.dynconfig";

  /** The name of the daemon thread doing deferred registration. */
  public static final String THREAD_NAME = "dynconfig-jmx-registration";

  private static final Logger LOG = LoggerFactory.getLogger("dev.dynconfig.jmx");
  private static final Duration POLL = Duration.ofMillis(250);
  // Characters that force ObjectName.quote on a key property value.
  private static final Pattern PLAIN_VALUE = Pattern.compile("[^,=:\"*?\\n\\\\]+");

  /** The methods the agent rewrote, JVM-wide like class rewriting; none without an agent. */
  private static volatile GuardedMethodIndex guardedMethods = GuardedMethodIndex.NONE;

  private final EngineIntrospection engine;
  private final Object lock = new Object();
  private final Set<String> flags = new HashSet<>();
  private final Set<String> tests = new HashSet<>();
  private MBeanServer server; // guarded by lock
  private Subscription subscription; // guarded by lock
  private boolean closed; // guarded by lock
  private volatile Thread deferred;

  private JmxRegistration(EngineIntrospection engine) {
    this.engine = engine;
  }

  /**
   * Hands the flag and test MBeans the methods the agent rewrote, for their {@code GuardedMethods}
   * attribute (the agent calls this before the engine starts). JVM-wide, as class rewriting is.
   */
  public static void useGuardedMethods(GuardedMethodIndex index) {
    guardedMethods = index == null ? GuardedMethodIndex.NONE : index;
  }

  static GuardedMethodIndex guardedMethods() {
    return guardedMethods;
  }

  /** {@code dev.dynconfig:type=DynamicConfig}. */
  public static ObjectName engineName() {
    return name("type=DynamicConfig");
  }

  /** {@code dev.dynconfig:type=Flag,name=<key>}, the key quoted when it needs to be. */
  public static ObjectName flagName(String flagKey) {
    return name("type=Flag,name=" + value(flagKey));
  }

  /** {@code dev.dynconfig:type=Test,name=<id>}, the id quoted when it needs to be. */
  public static ObjectName testName(String testId) {
    return name("type=Test,name=" + value(testId));
  }

  /**
   * Registers now on {@code server} and follows the snapshots until {@link #close()}. Never throws:
   * failures are logged and leave the application running without (some of) the MBeans.
   */
  public static JmxRegistration register(EngineIntrospection engine, MBeanServer server) {
    JmxRegistration r = new JmxRegistration(engine);
    r.registerOn(server);
    return r;
  }

  /**
   * Registers on the platform MBeanServer: synchronously when {@code delay} ({@code
   * jmxRegistrationDelay}) is zero or null, else on a named daemon thread after the delay and after
   * any container that installs its own MBeanServer or LogManager has done so. Never throws.
   */
  public static JmxRegistration start(EngineIntrospection engine, Duration delay) {
    JmxRegistration r = new JmxRegistration(engine);
    if (delay == null || delay.isZero()) {
      try {
        r.registerOn(ManagementFactory.getPlatformMBeanServer());
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("dynconfig could not reach the platform MBeanServer; no JMX MBeans", e);
      }
    } else {
      r.startDeferred(delay, ContainerHints.detect());
    }
    return r;
  }

  /** Whether the MBeans are registered (false before deferred registration, after close). */
  public boolean isRegistered() {
    synchronized (lock) {
      return server != null && !closed;
    }
  }

  /** Unregisters every MBean and stops following snapshots (and any pending registration). */
  @Override
  public void close() {
    Thread t = deferred;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (subscription != null) {
        subscription.unsubscribe();
      }
      if (server != null) {
        for (String k : flags) {
          unregister(flagName(k));
        }
        for (String id : tests) {
          unregister(testName(id));
        }
        unregister(engineName());
        flags.clear();
        tests.clear();
      }
    }
    if (t != null) {
      t.interrupt();
    }
  }

  // ---------------------------------------------------------------------------------------------

  void startDeferred(Duration delay, ContainerHints hints) {
    Thread t = new Thread(() -> deferredRegistration(delay, hints), THREAD_NAME);
    t.setDaemon(true);
    // The platform MBeanServer loads a configured builder through the context class loader: use
    // the system one, as the JVM would, never whatever loader happened to start us.
    t.setContextClassLoader(ClassLoader.getSystemClassLoader());
    deferred = t;
    t.start();
  }

  private void deferredRegistration(Duration delay, ContainerHints hints) {
    try {
      Thread.sleep(delay.toMillis());
      if (hints != null && !awaitContainer(hints)) {
        return;
      }
      synchronized (lock) {
        if (closed) {
          return;
        }
      }
      registerOn(ManagementFactory.getPlatformMBeanServer());
    } catch (InterruptedException e) {
      // closed before registration: nothing to do
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("dynconfig could not register its JMX MBeans; the application is unaffected", e);
    } finally {
      deferred = null;
    }
  }

  /** Waits until the container created the platform MBeanServer; false when closed meanwhile. */
  private boolean awaitContainer(ContainerHints hints) throws InterruptedException {
    LOG.info(
        "dynconfig JMX: {}; waiting for the application to create the MBeanServer before"
            + " registering{}",
        hints.reason(),
        hints.maxWait() == null ? "" : " (at most " + hints.maxWait().toSeconds() + " s)");
    long deadline =
        hints.maxWait() == null ? Long.MAX_VALUE : System.nanoTime() + hints.maxWait().toNanos();
    while (MBeanServerFactory.findMBeanServer(null).isEmpty()) {
      synchronized (lock) {
        if (closed) {
          return false;
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        LOG.info("dynconfig JMX: no MBeanServer after {}; registering now", hints.maxWait());
        break;
      }
      Thread.sleep(POLL.toMillis());
    }
    return true;
  }

  private void registerOn(MBeanServer s) {
    synchronized (lock) {
      if (closed || server != null) {
        return;
      }
      try {
        s.registerMBean(engineBean(), engineName());
      } catch (InstanceAlreadyExistsException e) {
        LOG.warn(
            "{} is already registered (another DynamicConfig in this JVM owns the dynconfig"
                + " MBeans); this instance is not exposed over JMX",
            engineName());
        return;
      } catch (Exception e) {
        LOG.warn("dynconfig could not register {}; no JMX MBeans", engineName(), e);
        return;
      }
      server = s;
      // Subscribe before the first reconcile so no swap is missed; reconcile reads the current
      // snapshot each time, so order and repetition do not matter.
      subscription = engine.subscribeToSnapshots(info -> reconcile());
      reconcile();
      LOG.debug("dynconfig MBeans registered: {} flags, {} tests", flags.size(), tests.size());
    }
  }

  /** Makes the registered flag and test MBeans match the current snapshot. */
  private void reconcile() {
    synchronized (lock) {
      if (closed || server == null) {
        return;
      }
      Set<String> keys = engine.flagKeys();
      Set<String> ids = engine.testIds();
      for (String k : flags.toArray(new String[0])) {
        if (!keys.contains(k)) {
          unregister(flagName(k));
          flags.remove(k);
        }
      }
      for (String id : tests.toArray(new String[0])) {
        if (!ids.contains(id)) {
          unregister(testName(id));
          tests.remove(id);
        }
      }
      for (String k : keys) {
        if (!flags.contains(k) && register(flagBean(k), flagName(k))) {
          flags.add(k);
        }
      }
      for (String id : ids) {
        if (!tests.contains(id) && register(testBean(id), testName(id))) {
          tests.add(id);
        }
      }
    }
  }

  private boolean register(Object bean, ObjectName name) {
    try {
      server.registerMBean(bean, name);
      return true;
    } catch (InstanceAlreadyExistsException e) {
      LOG.warn("{} is already registered by someone else; leaving it alone", name);
    } catch (Exception e) {
      LOG.warn("dynconfig could not register {}", name, e);
    }
    return false;
  }

  private void unregister(ObjectName name) {
    try {
      server.unregisterMBean(name);
    } catch (InstanceNotFoundException e) {
      // already gone (someone unregistered it by hand)
    } catch (Exception e) {
      LOG.warn("dynconfig could not unregister {}", name, e);
    }
  }

  private Object engineBean() {
    Map<String, String> texts = new HashMap<>();
    texts.put("Initialized", "Whether initialize() has completed");
    texts.put("ConnectionStatus", "CONNECTED, CONNECTING or DISCONNECTED");
    texts.put("LastSyncedAt", "When the last document was accepted (ISO-8601), or empty");
    texts.put("LastError", "The last problem (rejected document, connection failure), or empty");
    texts.put("Version", "Version of the snapshot being served (-1 before the first document)");
    texts.put("Source", "Where documents come from");
    texts.put("Environment", "Environment used when a context names none");
    texts.put("Overrides", "Current overrides: flag key -> JSON value");
    texts.put(
        "UnknownKeys", "Keys rewritten methods use that the configuration lacks -> the methods");
    texts.put(
        "AnonymousCalls",
        "Methods whose calls needed a user or session id and had none -> such calls");
    texts.put("setOverride", "Force a flag on or off until removed (survives reloads)");
    texts.put("removeOverride", "Remove a flag's override");
    texts.put("clearOverrides", "Remove every override");
    texts.put(
        "evaluate",
        "Evaluate a flag for a JSON context such as {\"userId\":\"u1\",\"plan\":\"premium\"}"
            + " (counted)");
    texts.put("getVariant", "The variant a user gets in an A/B test (not counted)");
    texts.put(
        "setRuntimeConfig", "Set a runtime-config value from JSON (empty or null removes it)");
    texts.put("forceRefresh", "Re-read the source now");
    Map<String, String[]> params = new HashMap<>();
    params.put("setOverride", new String[] {"flagKey", "value"});
    params.put("removeOverride", new String[] {"flagKey"});
    params.put("evaluate", new String[] {"flagKey", "contextJson"});
    params.put("getVariant", new String[] {"testId", "userId"});
    params.put("setRuntimeConfig", new String[] {"namespace", "key", "jsonValue"});
    return new Described<>(
        new DynamicConfigBean(engine),
        DynamicConfigMXBean.class,
        "dynconfig engine: state, overrides and operations",
        texts,
        params);
  }

  private Object flagBean(String key) {
    Map<String, String> texts = new HashMap<>();
    texts.put("Key", "The flag key");
    texts.put("Kind", "native (boolean) or flagd:<variant type>");
    texts.put("Definition", "The flag's definition (JSON)");
    texts.put(
        "Override",
        "Forced value: empty = none; true/false for native flags; JSON for flagd flags");
    texts.put("TrueCount", "Evaluations that returned true since start");
    texts.put("FalseCount", "Evaluations that returned false since start");
    texts.put("OtherCount", "Evaluations that returned a non-boolean value since start");
    texts.put("GuardedMethods", "Methods the agent rewrote to branch on this flag");
    return new Described<>(
        new FlagBean(engine, key), FlagMXBean.class, "dynconfig flag " + key, texts, Map.of());
  }

  private Object testBean(String id) {
    Map<String, String> texts = new HashMap<>();
    texts.put("Id", "The test id");
    texts.put("Name", "The test's name");
    texts.put("Status", "draft, running, paused or completed");
    texts.put("Allocation", "Percent of users per variant");
    texts.put("AssignmentCounts", "Assignments per variant since start");
    texts.put("UnassignedCount", "Requests that got no variant since start");
    texts.put("Definition", "The test's definition (JSON)");
    texts.put("GuardedMethods", "Entry methods the agent rewrote to dispatch on this test");
    return new Described<>(
        new AbTestBean(engine, id),
        AbTestMXBean.class,
        "dynconfig A/B test " + id,
        texts,
        Map.of());
  }

  private static String value(String s) {
    return s != null && PLAIN_VALUE.matcher(s).matches() ? s : ObjectName.quote(String.valueOf(s));
  }

  private static ObjectName name(String properties) {
    try {
      return new ObjectName(DOMAIN + ":" + properties);
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
