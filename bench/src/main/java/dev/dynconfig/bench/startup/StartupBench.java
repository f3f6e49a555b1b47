package dev.dynconfig.bench.startup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Section 4 of BENCHMARKS.md: start-up of a generated 5,000-class application ({@link
 * AppGenerator}) with and without {@code -javaagent:agent/target/dynconfig.jar}. Runs alternate
 * (without, with, with, without, ...) so that a change in the machine's load hits both sides alike;
 * each run is a fresh JVM. Measured per run: the time from JVM start to the end of {@code main} (as
 * the application reports it) and the wall time of the whole process. Then one run each with {@code
 * --inspect} (heap after GC, threads, loaded classes, the agent's MBeans) and one with the agent at
 * {@code logLevel=debug}, whose {@code rewrote <class>} lines count the classes rewritten.
 *
 * <p>Usage (from the repository root): {@code java -cp bench/target/benchmarks.jar
 * dev.dynconfig.bench.startup.StartupBench [--quick] [--runs N]}
 */
public final class StartupBench {
  private static final Pattern STARTUP = Pattern.compile("startup-ms (\\d+) result (-?\\d+)");
  private static final Pattern INSPECT = Pattern.compile("inspect (\\w+)=(.*)");

  private StartupBench() {}

  record Run(long mainMs, long wallMs, double cpuSeconds, String result, String output) {}

  public static void main(String[] args) throws Exception {
    boolean quick = Arrays.asList(args).contains("--quick");
    int runs = quick ? 3 : 15;
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--runs")) {
        runs = Integer.parseInt(args[i + 1]);
      }
    }
    Path agentJar = Path.of("agent/target/dynconfig.jar").toAbsolutePath();
    if (!Files.isRegularFile(agentJar)) {
      throw new IllegalStateException(agentJar + " is missing: build it (bench/run.sh does)");
    }
    long t0 = System.nanoTime();
    AppGenerator.App app =
        AppGenerator.generate(Path.of("bench/target/startup-app").toAbsolutePath());
    System.out.printf(
        Locale.ROOT,
        "application: %s (%,d classes, %d annotated: %d @Toggle, %d @Variant entry + variant,"
            + " %d @ConfigValue); ready in %.1f s (generated and compiled unless up to date)%n%n",
        Path.of("").toAbsolutePath().relativize(app.jar()),
        app.classes(),
        app.annotatedClasses(),
        app.toggles(),
        app.variants(),
        app.configValues(),
        (System.nanoTime() - t0) / 1e9);

    String java = ProcessHandle.current().info().command().orElse("java");
    String agentArg = "-javaagent:" + agentJar + "=file=" + app.flags();
    List<String> without = List.of(java, "-cp", app.jar().toString(), "com.acme.gen.Main");
    List<String> with = List.of(java, agentArg, "-cp", app.jar().toString(), "com.acme.gen.Main");

    SpringApp spring = SpringApp.locate(java, agentJar);
    // One untimed run each: the page cache then holds the jars for every measured run.
    run(without);
    run(with);
    spring.run(false);
    spring.run(true);
    List<Run> plain = new ArrayList<>();
    List<Run> agent = new ArrayList<>();
    List<Run> springPlain = new ArrayList<>();
    List<Run> springAgent = new ArrayList<>();
    // Both applications in one loop, each pair in alternating order, so that a change of the
    // machine's load hits all four columns alike.
    for (int i = 0; i < runs; i++) {
      if (i % 2 == 0) {
        plain.add(run(without));
        agent.add(run(with));
        springPlain.add(spring.run(false));
        springAgent.add(spring.run(true));
      } else {
        springAgent.add(spring.run(true));
        springPlain.add(spring.run(false));
        agent.add(run(with));
        plain.add(run(without));
      }
    }
    spring.check(springPlain, springAgent);
    // The agent's fixed cost: the same JVMs starting a main that touches no application class.
    int emptyRuns = Math.max(3, runs / 2);
    List<String> emptyWithout = replaceMain(without, "com.acme.gen.Empty");
    List<String> emptyWith = replaceMain(with, "com.acme.gen.Empty");
    List<Run> emptyPlain = new ArrayList<>();
    List<Run> emptyAgent = new ArrayList<>();
    for (int i = 0; i < emptyRuns; i++) {
      emptyPlain.add(run(emptyWithout));
      emptyAgent.add(run(emptyWith));
    }
    // Self-check: the @ConfigValue bodies return 5, the file says otherwise, so a rewritten
    // application computes a different result; equal results would mean the agent did nothing.
    String plainResult = plain.get(0).result();
    String agentResult = agent.get(0).result();
    for (Run r : plain) {
      check(r.result().equals(plainResult), "results differ between runs without the agent");
    }
    for (Run r : agent) {
      check(r.result().equals(agentResult), "results differ between runs with the agent");
    }
    check(
        !plainResult.equals(agentResult),
        "the application computed the same result with and without the agent: nothing was"
            + " rewritten");

    Map<String, String> inspectPlain = inspect(run(append(without, "--inspect")).output());
    Run inspectedAgent = run(append(with, "--inspect"));
    Map<String, String> inspectAgent = inspect(inspectedAgent.output());
    Run debug =
        run(
            List.of(
                java,
                agentArg + ",logLevel=debug,jmx=false",
                "-cp",
                app.jar().toString(),
                "com.acme.gen.Main"));
    long rewritten =
        debug.output().lines().filter(l -> l.contains("rewrote com.acme.gen.")).count();
    List<String> warnings =
        inspectedAgent
            .output()
            .lines()
            .filter(l -> l.matches("\\[dynconfig\\] (WARN|ERROR).*"))
            .toList();

    System.out.printf(
        Locale.ROOT,
        "%d runs of each of the four, interleaved; medians; CPU = user + sys of the JVM process"
            + " (the generated app: until it exits; Spring Boot: until the first HTTP 200)%n%n",
        runs);
    System.out.println(
        "| case | what is timed | without the agent | with the agent | overhead | CPU s without |"
            + " CPU s with | CPU overhead | loaded classes without / with |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    summaryRow(
        "generated app, " + String.format(Locale.ROOT, "%,d", app.classes()) + " classes",
        "JVM start to end of `main`",
        plain,
        agent,
        true,
        inspectPlain.get("loadedClasses") + " / " + inspectAgent.get("loadedClasses"));
    summaryRow(
        "Spring Boot 3.5.7 web app (Tomcat)",
        "process start to first HTTP 200",
        springPlain,
        springAgent,
        false,
        spring.loadedClasses(false) + " / " + spring.loadedClasses(true));
    System.out.println();
    System.out.println("- Spring Boot response without the agent: `" + spring.plainBody + "`");
    System.out.println("- Spring Boot response with the agent: `" + spring.agentBody + "`");
    System.out.println();
    System.out.println(
        "Spring Boot, process start to first HTTP 200 (ms), and CPU until then (s), per side:");
    System.out.println();
    System.out.println("| | median | mean | min | p90 | max | CPU median | CPU min | CPU max |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    springRow("without the agent", springPlain);
    springRow("with the agent", springAgent);
    System.out.println();
    System.out.println("The generated app in detail:");
    System.out.println();
    System.out.printf(Locale.ROOT, "%d runs each, alternating; times in ms%n%n", runs);
    System.out.println(
        "| | time to end of `main`: median | mean | min | p90 | max | process wall time: median |"
            + " min |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    row("without the agent", plain);
    row("with the agent", agent);
    double mainPlain = median(plain, true);
    double mainAgent = median(agent, true);
    double wallPlain = median(plain, false);
    double wallAgent = median(agent, false);
    System.out.printf(
        Locale.ROOT,
        "| **agent overhead** | **%+.0f (%+.1f%%)** | %+.0f | %+.0f | | | %+.0f (%+.1f%%) | %+.0f |%n%n",
        mainAgent - mainPlain,
        100 * (mainAgent - mainPlain) / mainPlain,
        mean(agent) - mean(plain),
        (double) (min(agent, true) - min(plain, true)),
        wallAgent - wallPlain,
        100 * (wallAgent - wallPlain) / wallPlain,
        (double) (min(agent, false) - min(plain, false)));

    double fixed = median(emptyAgent, true) - median(emptyPlain, true);
    System.out.printf(
        Locale.ROOT,
        "The agent's fixed cost (an empty `main`, %d runs each): %.0f ms without, %.0f ms with the"
            + " agent (median time to the end of `main`; min %d / %d), i.e. **%+.0f ms** before"
            + " the first application class; the rest of the overhead above, %+.0f ms, is what the"
            + " agent spends on the application's %,d classes (%.2f ms per class).%n%n",
        emptyRuns,
        median(emptyPlain, true),
        median(emptyAgent, true),
        min(emptyPlain, true),
        min(emptyAgent, true),
        fixed,
        (mainAgent - mainPlain) - fixed,
        app.classes(),
        ((mainAgent - mainPlain) - fixed) / app.classes());

    System.out.println(
        "| at the end of `main` (`--inspect`, one run each) | without | with | agent's share |");
    System.out.println("|---|---:|---:|---:|");
    inspectRow(
        "heap used after full GC (MiB)", inspectPlain, inspectAgent, "heapUsedAfterGc", 1 << 20);
    inspectRow(
        "non-heap used (MiB: metaspace, code cache)",
        inspectPlain,
        inspectAgent,
        "nonHeapUsed",
        1 << 20);
    inspectRow("live threads", inspectPlain, inspectAgent, "threads", 1);
    inspectRow("loaded classes", inspectPlain, inspectAgent, "loadedClasses", 1);
    System.out.println();
    System.out.println(
        "- threads with the agent: " + inspectAgent.getOrDefault("threadNames", "?"));
    System.out.println("- threads without: " + inspectPlain.getOrDefault("threadNames", "?"));
    System.out.printf(
        Locale.ROOT,
        "- classes rewritten (`rewrote` lines at `logLevel=debug`): %d of %d annotated (%s)%n",
        rewritten,
        app.annotatedClasses(),
        rewritten == app.annotatedClasses() ? "all" : "**MISMATCH**");
    System.out.printf(
        Locale.ROOT,
        "- methods guarded, from the agent's MBeans (`GuardedMethods`): %s for flags (expected %d"
            + " `@Toggle`), %s for tests (expected %d `@Variant` entries); `@ConfigValue` methods"
            + " (%d) are not listed by any MBean%n",
        inspectAgent.getOrDefault("guardedMethodsFlag", "?"),
        app.toggles(),
        inspectAgent.getOrDefault("guardedMethodsTest", "?"),
        app.variants(),
        app.configValues());
    System.out.println(
        "- agent warnings/errors in the run: "
            + (warnings.isEmpty() ? "none" : String.join(" / ", warnings)));
  }

  private static void row(String label, List<Run> runs) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %.0f | %.0f | %d | %d | %d | %.0f | %d |%n",
        label,
        median(runs, true),
        mean(runs),
        min(runs, true),
        percentile(runs, 0.9),
        runs.stream().mapToLong(Run::mainMs).max().orElse(0),
        median(runs, false),
        min(runs, false));
  }

  private static void inspectRow(
      String label, Map<String, String> plain, Map<String, String> agent, String key, double unit) {
    String a = plain.get(key);
    String b = agent.get(key);
    if (a == null || b == null) {
      System.out.printf("| %s | %s | %s | ? |%n", label, a, b);
      return;
    }
    double x = Long.parseLong(a) / unit;
    double y = Long.parseLong(b) / unit;
    String f = unit == 1 ? "%.0f" : "%.1f";
    System.out.printf(
        Locale.ROOT,
        "| %s | " + f + " | " + f + " | " + f.replace("%", "%+") + " |%n",
        label,
        x,
        y,
        y - x);
  }

  /** /usr/bin/time, where present, reports the CPU time of a process that has exited. */
  private static final Path TIME = Path.of("/usr/bin/time");

  private static final Pattern CPU = Pattern.compile("cpu-s ([0-9.]+) ([0-9.]+)");

  private static Run run(List<String> command) throws IOException, InterruptedException {
    List<String> timed = new ArrayList<>();
    if (Files.isExecutable(TIME)) {
      timed.addAll(List.of(TIME.toString(), "-f", "cpu-s %U %S"));
    }
    timed.addAll(command);
    long start = System.nanoTime();
    Process p = new ProcessBuilder(timed).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    long wall = (System.nanoTime() - start) / 1_000_000;
    Matcher m = STARTUP.matcher(out);
    if (rc != 0 || !m.find()) {
      throw new IllegalStateException(
          "the application failed (exit " + rc + "): " + String.join(" ", command) + "\n" + out);
    }
    Matcher cpu = CPU.matcher(out);
    double cpuSeconds =
        cpu.find()
            ? Double.parseDouble(cpu.group(1)) + Double.parseDouble(cpu.group(2))
            : Double.NaN;
    return new Run(Long.parseLong(m.group(1)), wall, cpuSeconds, m.group(2), out);
  }

  private static void summaryRow(
      String label,
      String timed,
      List<Run> without,
      List<Run> with,
      boolean mainTime,
      String classes) {
    double a = median(without, mainTime);
    double b = median(with, mainTime);
    double ca = medianCpu(without);
    double cb = medianCpu(with);
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %.0f ms | %.0f ms | **%+.0f ms (%+.1f%%)** | %.2f | %.2f | %+.2f s (%+.1f%%) |"
            + " %s |%n",
        label,
        timed,
        a,
        b,
        b - a,
        100 * (b - a) / a,
        ca,
        cb,
        cb - ca,
        100 * (cb - ca) / ca,
        classes);
  }

  private static void springRow(String label, List<Run> runs) {
    double[] cpu = runs.stream().mapToDouble(Run::cpuSeconds).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "| %s | %.0f | %.0f | %d | %d | %d | %.2f | %.2f | %.2f |%n",
        label,
        median(runs, true),
        mean(runs),
        min(runs, true),
        percentile(runs, 0.9),
        runs.stream().mapToLong(Run::mainMs).max().orElse(0),
        medianCpu(runs),
        cpu[0],
        cpu[cpu.length - 1]);
  }

  static double medianCpu(List<Run> runs) {
    double[] v = runs.stream().mapToDouble(Run::cpuSeconds).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
  }

  private static Map<String, String> inspect(String output) {
    Map<String, String> values = new LinkedHashMap<>();
    output
        .lines()
        .map(INSPECT::matcher)
        .filter(Matcher::matches)
        .forEach(m -> values.put(m.group(1), m.group(2)));
    return values;
  }

  private static List<String> replaceMain(List<String> command, String main) {
    List<String> c = new ArrayList<>(command);
    c.set(c.size() - 1, main);
    return c;
  }

  private static List<String> append(List<String> command, String arg) {
    List<String> c = new ArrayList<>(command);
    c.add(arg);
    return c;
  }

  private static long[] sorted(List<Run> runs, boolean main) {
    return runs.stream().mapToLong(r -> main ? r.mainMs() : r.wallMs()).sorted().toArray();
  }

  private static double median(List<Run> runs, boolean main) {
    long[] v = sorted(runs, main);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
  }

  private static long percentile(List<Run> runs, double q) {
    long[] v = sorted(runs, true);
    return v[Math.min(v.length - 1, (int) Math.ceil(q * v.length) - 1)];
  }

  private static double mean(List<Run> runs) {
    return runs.stream().mapToLong(Run::mainMs).average().orElse(Double.NaN);
  }

  private static long min(List<Run> runs, boolean main) {
    return sorted(runs, main)[0];
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("[self-check] " + what);
    }
  }
}
