package dev.dynconfig.agent.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A forked JVM started with the test's own {@code java} (so CI's JDK 25 pass tests on 25), whose
 * stdout and stderr are collected line by line. Waits are bounded polls of the output, never fixed
 * sleeps used as assertions.
 */
final class ChildJvm implements AutoCloseable {
  static final Path AGENT_JAR =
      Path.of(System.getProperty("dynconfig.agent.jar", "target/dynconfig.jar"));
  static final Path FAULT_AGENT_JAR =
      Path.of(System.getProperty("dynconfig.fault.agent.jar", "target/fault-agent.jar"));
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final java.io.Writer stdin;
  final List<String> out = new CopyOnWriteArrayList<>();
  final List<String> err = new CopyOnWriteArrayList<>();

  private ChildJvm(Process process) {
    this.process = process;
    this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    pump(process.getInputStream(), out, "out");
    pump(process.getErrorStream(), err, "err");
  }

  /**
   * The test-only fault agent injecting {@code fault} (see {@code dev.dynconfig.testagent.Fault});
   * must come before dynconfig's {@code -javaagent} on the command line.
   */
  static String faultAgent(String fault) {
    return "-javaagent:" + FAULT_AGENT_JAR.toAbsolutePath() + "=" + fault;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String classpath(Object... entries) {
    List<String> parts = new ArrayList<>();
    for (Object e : entries) {
      parts.add(e.toString());
    }
    return String.join(File.pathSeparator, parts);
  }

  /** Starts {@code java <jvmArgs>}; the working directory is {@code dir}. */
  static ChildJvm start(Path dir, List<String> jvmArgs) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmArgs);
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("DYNCONFIG_"));
    return new ChildJvm(pb.start());
  }

  long pid() {
    return process.pid();
  }

  /**
   * Sends one command line to the app's stdin and returns the first stdout line it then printed
   * that starts with {@code answerPrefix}.
   */
  synchronized String ask(String command, String answerPrefix) throws Exception {
    int mark = out.size();
    stdin.write(command + "\n");
    stdin.flush();
    return awaitOut(mark, l -> l.startsWith(answerPrefix), "answer to '" + command + "'");
  }

  /**
   * Asks {@code command} until the answer equals {@code expected} (a bounded poll: for changes that
   * travel through a file watcher or the network); returns how many times it asked.
   */
  int askUntil(String command, String expected, String what) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    String prefix = expected.substring(0, expected.indexOf('=') + 1);
    String last = null;
    for (int asked = 1; System.nanoTime() < deadline; asked++) {
      last = ask(command, prefix);
      if (last.equals(expected)) {
        return asked;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        what + ": still '" + last + "', expected '" + expected + "'\n" + dump());
  }

  /** The first stdout line (from index {@code from}) matching, waiting at most TIMEOUT. */
  String awaitOut(int from, Predicate<String> matching, String what) throws InterruptedException {
    return await(out, from, matching, what);
  }

  String awaitErr(Predicate<String> matching, String what) throws InterruptedException {
    return await(err, 0, matching, what);
  }

  private String await(List<String> lines, int from, Predicate<String> matching, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    int i = from;
    while (System.nanoTime() < deadline) {
      while (i < lines.size()) {
        String line = lines.get(i++);
        if (matching.test(line)) {
          return line;
        }
      }
      if (!process.isAlive() && i >= lines.size()) {
        break;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        "no line: " + what + (process.isAlive() ? "" : " (process exited)") + "\n" + dump());
  }

  /** Waits for the process to exit on its own; returns the exit code. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("the JVM did not exit within " + TIMEOUT + "\n" + dump());
    }
    // Let the pumps drain what is left.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pumping > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return process.exitValue();
  }

  String dump() {
    return "--- stdout ---\n"
        + String.join("\n", out)
        + "\n--- stderr ---\n"
        + String.join("\n", err);
  }

  private volatile int pumping;

  private void pump(InputStream in, List<String> sink, String name) {
    synchronized (this) {
      pumping++;
    }
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  sink.add(line);
                }
              } catch (IOException ignored) {
                // process gone
              } finally {
                synchronized (this) {
                  pumping--;
                }
              }
            },
            "child-" + name + "-" + process.pid());
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
