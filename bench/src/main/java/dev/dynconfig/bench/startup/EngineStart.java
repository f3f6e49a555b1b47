package dev.dynconfig.bench.startup;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.EvaluationContext;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * The engine's cold start alone, as the agent performs it before {@code main}: create the
 * process-wide engine on a flag file, {@code initialize()} it (read, validate, compile, start
 * watching), evaluate one flag, exit. Run it in fresh JVMs, many times, interleaved with the build
 * it is compared with (BENCHMARKS.md, section 4, "The engine's own start").
 *
 * <p>Usage: {@code java -cp <runtime classes and dependencies>
 * dev.dynconfig.bench.startup.EngineStart FLAGFILE FLAGKEY [--report]}. Prints {@code engine-ms N
 * KEY=VALUE}; with {@code --report} also the process's CPU time and loaded classes at the end
 * (measured after the engine-ms, since the management classes it needs cost start-up time of their
 * own).
 */
public final class EngineStart {
  private EngineStart() {}

  public static void main(String[] args) {
    long t0 = System.nanoTime();
    DynamicConfig config =
        DynamicConfig.get(
            DynamicConfigOptions.builder().file(Path.of(args[0])).registerJmx(false).build());
    config.initialize();
    boolean on = config.isFlagEnabled(args[1], EvaluationContext.ofUser("user-1"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("engine-ms " + ms + " " + args[1] + "=" + on);
    if (args.length > 2 && args[2].equals("--report")) {
      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      System.out.println(
          "process-cpu-ms "
              + os.getProcessCpuTime() / 1_000_000
              + " classes-loaded "
              + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    }
  }
}
