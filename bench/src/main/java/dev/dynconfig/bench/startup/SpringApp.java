package dev.dynconfig.bench.startup;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Spring Boot case of the start-up benchmark: {@code
 * bench-spring-app/target/bench-spring-app.jar} (Spring Boot 3.5.7, embedded Tomcat, built by the
 * reactor; nothing is fetched at run time) started with and without the agent; measured from
 * process start to the first HTTP 200 of {@code GET /quote}, whose answer calls the application's
 * {@code @Toggle}, {@code @Variant} and {@code @ConfigValue} methods. The JVM's CPU time at that
 * moment is read from {@code /proc}.
 */
final class SpringApp {
  private static final Pattern LOADED = Pattern.compile("java\\.cls\\.loadedClasses=(\\d+)");

  private final String java;
  private final Path jar;
  private final Path flags;
  private final Path agentJar;
  String plainBody;
  String agentBody;

  private SpringApp(String java, Path jar, Path flags, Path agentJar) {
    this.java = java;
    this.jar = jar;
    this.flags = flags;
    this.agentJar = agentJar;
  }

  static SpringApp locate(String java, Path agentJar) {
    Path jar = Path.of("bench-spring-app/target/bench-spring-app.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar
              + " is missing: build it (bench/run.sh does: mvn -DskipTests package -pl"
              + " bench,agent,bench-spring-app -am)");
    }
    return new SpringApp(
        java, jar, Path.of("bench-spring-app/flags.json").toAbsolutePath(), agentJar);
  }

  /** One start, timed to the first HTTP 200; the process is stopped afterwards. */
  StartupBench.Run run(boolean withAgent) throws IOException, InterruptedException {
    Started s = start(withAgent);
    try {
      return s.run;
    } finally {
      s.stop();
    }
  }

  /** Classes loaded by the JVM at its first HTTP 200 (one extra start, read with jcmd). */
  long loadedClasses(boolean withAgent) throws IOException, InterruptedException {
    Started s = start(withAgent);
    try {
      Path jcmd = Path.of(java).resolveSibling("jcmd");
      Process p =
          new ProcessBuilder(
                  Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd",
                  Long.toString(s.process.pid()),
                  "PerfCounter.print")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      Matcher m = LOADED.matcher(out);
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } finally {
      s.stop();
    }
  }

  /**
   * Self-check: every response the same on each side, and different between the sides (the flag
   * file changes every annotated method's answer, so equal answers mean nothing was rewritten).
   */
  void check(List<StartupBench.Run> plain, List<StartupBench.Run> agent) {
    plainBody = plain.get(0).result();
    agentBody = agent.get(0).result();
    for (StartupBench.Run r : plain) {
      require(r.result().equals(plainBody), "Spring Boot answers differ without the agent");
    }
    for (StartupBench.Run r : agent) {
      require(r.result().equals(agentBody), "Spring Boot answers differ with the agent");
    }
    require(
        !plainBody.equals(agentBody),
        "Spring Boot answered the same with and without the agent: nothing was rewritten");
  }

  private record Started(Process process, StartupBench.Run run, Path log) {
    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      try {
        Files.deleteIfExists(log);
      } catch (IOException ignored) {
        // a temp file
      }
    }
  }

  private Started start(boolean withAgent) throws IOException, InterruptedException {
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(java));
    if (withAgent) {
      command.add("-javaagent:" + agentJar + "=file=" + flags);
    }
    command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
    Path log = Files.createTempFile("spring-startup", ".log");
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    URI quote = URI.create("http://127.0.0.1:" + port + "/quote");
    long deadline = start + 120_000_000_000L;
    while (true) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "Spring Boot exited (" + p.exitValue() + "): " + Files.readString(log));
      }
      String body = get(quote);
      if (body != null) {
        long wall = (System.nanoTime() - start) / 1_000_000;
        double cpu = cpuSeconds(p.pid());
        String output = Files.readString(log);
        if (output.contains("[dynconfig] WARN") || output.contains("[dynconfig] ERROR")) {
          p.destroyForcibly();
          throw new IllegalStateException("the agent warned in the Spring Boot run:\n" + output);
        }
        return new Started(p, new StartupBench.Run(wall, wall, cpu, body, output), log);
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException("no HTTP 200 within 120 s: " + Files.readString(log));
      }
      Thread.sleep(5);
    }
  }

  /** The body of a 200 response, or null (not listening yet, or another status). */
  private static String get(URI uri) {
    try {
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(10_000);
      try {
        if (c.getResponseCode() != 200) {
          return null;
        }
        try (InputStream in = c.getInputStream()) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } finally {
        c.disconnect();
      }
    } catch (IOException notYet) {
      return null;
    }
  }

  /** utime + stime of a live process, from /proc/PID/stat (clock ticks of 1/100 s). */
  private static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("[self-check] " + what);
    }
  }
}
