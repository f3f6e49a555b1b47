package dev.dynconfig.jmx;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registration later, for the agent: on the daemon thread {@value JmxRegistration#THREAD_NAME},
 * after the delay and, when {@link ContainerHints} says the application installs its own
 * MBeanServer or LogManager, once it has done so (or its wait is over), so the agent never creates
 * the platform MBeanServer or LogManager before a container does.
 */
final class DeferredRegistration {
  private static final Logger LOG = LoggerFactory.getLogger("dev.dynconfig.jmx");
  private static final Duration POLL = Duration.ofMillis(250);

  private final BooleanSupplier closed;
  private final Consumer<MBeanServer> registerOn;
  private volatile Thread thread;

  /**
   * @param closed whether the registration was closed meanwhile (then nothing is registered)
   * @param registerOn registers on the platform MBeanServer once it is time
   */
  DeferredRegistration(BooleanSupplier closed, Consumer<MBeanServer> registerOn) {
    this.closed = closed;
    this.registerOn = registerOn;
  }

  void start(Duration delay, ContainerHints hints) {
    Thread t = new Thread(() -> run(delay, hints), JmxRegistration.THREAD_NAME);
    t.setDaemon(true);
    // The platform MBeanServer loads a configured builder through the context class loader: use
    // the system one, as the JVM would, never whatever loader happened to start us.
    t.setContextClassLoader(ClassLoader.getSystemClassLoader());
    thread = t;
    t.start();
  }

  private void run(Duration delay, ContainerHints hints) {
    try {
      Thread.sleep(delay.toMillis());
      if (hints != null && !awaitContainer(hints)) {
        return;
      }
      if (closed.getAsBoolean()) {
        return;
      }
      registerOn.accept(ManagementFactory.getPlatformMBeanServer());
    } catch (InterruptedException e) {
      // closed before registration: nothing to do
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("dynconfig could not register its JMX MBeans; the application is unaffected", e);
    } finally {
      thread = null;
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
      if (closed.getAsBoolean()) {
        return false;
      }
      if (System.nanoTime() - deadline >= 0) {
        LOG.info("dynconfig JMX: no MBeanServer after {}; registering now", hints.maxWait());
        break;
      }
      Thread.sleep(POLL.toMillis());
    }
    return true;
  }

  /** Stops a pending registration (the registration was closed). */
  void cancel() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }
}
