package dev.dynconfig.bench.startup;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Packed into the generated application and called at the end of its {@code main} with {@code
 * --inspect}: prints the heap used after a full GC, the live threads, the loaded classes and, when
 * the agent runs, the methods it rewrote as its JMX MBeans list them ({@code GuardedMethods}), one
 * {@code inspect key=value} line each. Only JDK types: it runs on the application's class path.
 */
public final class Inspect {
  private Inspect() {}

  /** Prints the measurements; waits (at most 20 s) for the agent's MBeans if the agent runs. */
  public static void report() throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    System.out.println("inspect heapUsedAfterGc=" + memory.getHeapMemoryUsage().getUsed());
    System.out.println("inspect nonHeapUsed=" + memory.getNonHeapMemoryUsage().getUsed());
    System.out.println(
        "inspect loadedClasses=" + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      names.add(t.getName() + (t.isDaemon() ? " (daemon)" : ""));
    }
    Collections.sort(names);
    System.out.println("inspect threads=" + names.size());
    System.out.println("inspect threadNames=" + String.join("; ", names));
    if (System.getProperty("dynconfig.agent.installed") == null) {
      return;
    }
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName root = new ObjectName("dev.dynconfig:type=DynamicConfig");
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!server.isRegistered(root) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    // The per-flag and per-test MBeans are registered one by one after the root one: wait until
    // their number stops changing.
    ObjectName all = new ObjectName("dev.dynconfig:*");
    int seen = -1;
    int now = server.queryNames(all, null).size();
    while ((now != seen || now <= 1) && System.nanoTime() < deadline) {
      seen = now;
      Thread.sleep(200);
      now = server.queryNames(all, null).size();
    }
    int guarded = 0;
    for (String type : new String[] {"Flag", "Test"}) {
      Set<ObjectName> beans =
          server.queryNames(new ObjectName("dev.dynconfig:type=" + type + ",*"), null);
      int methods = 0;
      for (ObjectName bean : beans) {
        methods += ((String[]) server.getAttribute(bean, "GuardedMethods")).length;
      }
      System.out.println("inspect mbeans" + type + "=" + beans.size());
      System.out.println("inspect guardedMethods" + type + "=" + methods);
      guarded += methods;
    }
    System.out.println("inspect guardedMethods=" + guarded);
  }
}
