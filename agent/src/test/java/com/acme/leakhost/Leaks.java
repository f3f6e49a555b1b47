package com.acme.leakhost;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** What the leak hosts measure: class loaders still alive after GC, and JMX guarded methods. */
final class Leaks {
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private Leaks() {}

  /** How many of {@code loaders} are still alive after repeated full GCs (bounded). */
  static int alive(List<WeakReference<ClassLoader>> loaders) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_NANOS;
    int alive = count(loaders);
    while (alive > 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(100);
      alive = count(loaders);
    }
    return alive;
  }

  private static int count(List<WeakReference<ClassLoader>> loaders) {
    int n = 0;
    for (WeakReference<ClassLoader> ref : loaders) {
      if (ref.get() != null) {
        n++;
      }
    }
    return n;
  }

  /**
   * The GuardedMethods attribute of flag {@code flag}'s MBean, once it equals {@code expected} or
   * after a bounded wait (the MBeans are registered, and the sites of a collected loader removed,
   * on the agent's own threads).
   */
  static String guarded(String flag, List<String> expected) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("dev.dynconfig:type=Flag,name=" + flag);
    long deadline = System.nanoTime() + WAIT_NANOS;
    String last = "(no MBean " + name + ")";
    while (System.nanoTime() < deadline) {
      if (server.isRegistered(name)) {
        String[] methods = (String[]) server.getAttribute(name, "GuardedMethods");
        last = Arrays.toString(methods);
        if (Arrays.asList(methods).equals(expected)) {
          break;
        }
      }
      System.gc();
      Thread.sleep(100);
    }
    return last;
  }
}
