package dev.dynconfig.bench.propagation;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of one process by kind of thread, from Linux's {@code /proc/<pid>/task/<tid>/stat} (user
 * + system, in clock ticks of 10 ms). Works for any JVM from outside, including the JIT and GC
 * threads that {@code ThreadMXBean} does not show, so the same breakdown covers the server and the
 * client JVMs. A thread that ended between two samples takes its time with it, except from the
 * process total: that time shows as "other".
 */
final class ThreadCpu {
  /** Kinds, in table order. */
  static final String[] KINDS = {"network", "store", "cache", "jit", "gc", "other"};

  private ThreadCpu() {}

  /** Ticks per kind of thread for {@code pid}, "other" being the rest of the process total. */
  static Map<String, Long> sample(long pid) throws IOException {
    Map<String, Long> ticks = new LinkedHashMap<>();
    for (String k : KINDS) {
      ticks.put(k, 0L);
    }
    long threads = 0;
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException ended) {
          continue;
        }
        String kind = kind(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
        long t = ticks(stat);
        threads += t;
        ticks.merge(kind, t, Long::sum);
      }
    }
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    ticks.merge("other", Math.max(0, ticks(stat) - threads), Long::sum);
    return ticks;
  }

  /** The kind of a thread by the name the JVM or dynconfig gives it (Linux cuts it at 15). */
  static String kind(String comm) {
    if (comm.startsWith("dynconfig-net") || comm.startsWith("dynconfig-serve")) {
      return "network"; // the client's event loop; the server's boss and I/O event loops
    } else if (comm.startsWith("dynconfig-store")) {
      return "store";
    } else if (comm.startsWith("dynconfig-cache")) {
      return "cache";
    } else if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
      return "jit";
    } else if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread")) {
      return "gc";
    }
    return "other";
  }

  private static long ticks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
  }
}
