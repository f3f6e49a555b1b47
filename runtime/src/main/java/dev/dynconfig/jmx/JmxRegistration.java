package dev.dynconfig.jmx;

import dev.dynconfig.Subscription;
import dev.dynconfig.engine.EngineIntrospection;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
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
 * registration is synchronous; with a positive delay (the agent) {@link DeferredRegistration} does
 * it later on the daemon thread {@value #THREAD_NAME}. What each MBean shows operators is described
 * in {@link MBeanDescriptions}.
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
  private final DeferredRegistration deferred =
      new DeferredRegistration(this::isClosed, this::registerOn);

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
      r.deferred.start(delay, ContainerHints.detect());
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
    deferred.cancel();
  }

  private boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  private void registerOn(MBeanServer s) {
    synchronized (lock) {
      if (closed || server != null) {
        return;
      }
      try {
        s.registerMBean(MBeanDescriptions.engine(engine), engineName());
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
        if (!flags.contains(k) && register(MBeanDescriptions.flag(engine, k), flagName(k))) {
          flags.add(k);
        }
      }
      for (String id : ids) {
        if (!tests.contains(id) && register(MBeanDescriptions.test(engine, id), testName(id))) {
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
