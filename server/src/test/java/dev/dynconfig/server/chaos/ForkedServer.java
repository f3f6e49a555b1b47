package dev.dynconfig.server.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real server ({@code dev.dynconfig.server.ServerMain}) in its own JVM, so that a test can kill
 * it with SIGKILL ({@link Process#destroyForcibly()}): no shutdown hook, no flush, no close — a
 * crash, which an in-JVM {@code close()} is not. Tokens go through the environment. Output is
 * appended to a log file the test can inspect.
 */
final class ForkedServer {
  private static final String SERVER_MAIN = "dev.dynconfig.server.ServerMain";
  private static final Duration STARTUP_MAX = Duration.ofSeconds(120);

  private ForkedServer() {}

  /** A free loopback port (the server is restarted on the same one). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  /** Starts the server JVM and waits until {@code GET /v1/flags} answers 200. */
  static Process start(Path file, int port, Path log, List<String> jvmArgs, String... extraArgs)
      throws IOException, InterruptedException {
    return start(List.of(), SERVER_MAIN, file, port, log, jvmArgs, extraArgs);
  }

  /** As {@link #start(Path, int, Path, List, String...)} with another main class in front. */
  static Process start(String mainClass, Path file, int port, Path log, List<String> jvmArgs)
      throws IOException, InterruptedException {
    return start(List.of(), mainClass, file, port, log, jvmArgs);
  }

  /** Under {@code ulimit -f} (KiB): files cannot grow past it, like a full disk. */
  static Process startWithFileSizeLimit(int kib, Path file, int port, Path log)
      throws IOException, InterruptedException {
    return start(
        List.of("bash", "-c", "ulimit -f " + kib + " && exec \"$@\"", "dynconfig-server"),
        SERVER_MAIN,
        file,
        port,
        log,
        List.of());
  }

  private static Process start(
      List<String> wrapper,
      String mainClass,
      Path file,
      int port,
      Path log,
      List<String> jvmArgs,
      String... extraArgs)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(wrapper);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Start fast: these JVMs live for a second or two.
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Xss512k"));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.add(mainClass);
    cmd.addAll(
        List.of(
            "serve",
            "--file",
            file.toString(),
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--ping-interval-ms",
            "1000"));
    cmd.addAll(List.of(extraArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DYNCONFIG_READ_TOKEN", Chaos.READ);
    pb.environment().put("DYNCONFIG_ADMIN_TOKEN", Chaos.ADMIN);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    // A hang guard, not a measurement: a JVM starting on two loaded cores can take many seconds.
    long deadline = System.nanoTime() + STARTUP_MAX.toNanos();
    while (true) {
      if (!p.isAlive()) {
        throw new IllegalStateException("server exited with " + p.exitValue() + "; see " + log);
      }
      try {
        if (RawHttp.request(port, "GET", "/v1/flags", Chaos.READ, null).status() == 200) {
          return p;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "server did not come up within " + STARTUP_MAX.toSeconds() + " s; see " + log);
      }
      Thread.sleep(20);
    }
  }

  /** SIGKILL and wait for the process to be gone. */
  static void kill(Process p) throws InterruptedException {
    p.destroyForcibly();
    p.waitFor();
  }

  /**
   * One HTTP/1.1 request on a fresh connection ({@code Connection: close}): no pooling, so a
   * restarted server is never confused with the previous process.
   */
  static final class RawHttp {
    record Response(int status, String body) {}

    private RawHttp() {}

    static Response request(int port, String method, String path, String token, String body)
        throws IOException {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        // Only guards against a hang: a fresh server JVM's first write (validation, fsync) on a
        // loaded machine may take seconds, and a read timeout would look like a crash.
        s.setSoTimeout(60_000);
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head =
            method
                + " "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: "
                + b.length
                + "\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + (body == null ? "" : "Content-Type: application/json\r\n")
                + "\r\n";
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
        out.flush();
        InputStream in = s.getInputStream();
        String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (all.length() < 12) {
          throw new IOException("no response");
        }
        int sep = all.indexOf("\r\n\r\n");
        return new Response(
            Integer.parseInt(all.substring(9, 12)), sep < 0 ? "" : all.substring(sep + 4));
      }
    }
  }
}
