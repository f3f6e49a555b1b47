package dev.dynconfig.server.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code OutOfMemoryError} in a server thread stops the process with a non-zero exit code after
 * logging it, instead of leaving a process that is alive but answers nothing (which no supervisor
 * restarts).
 */
class FatalErrorTest {
  @TempDir Path dir;

  @Test
  void outOfMemoryInTheStoreThread_logsIt_andExitsWith70() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, Chaos.NATIVE);
    Path log = dir.resolve("server.log");
    int port = ForkedServer.freePort();
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx128m",
            "-cp",
            System.getProperty("java.class.path"),
            FatalServerMain.class.getName(),
            file.toString(),
            Integer.toString(port));
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    try {
      Await.await(
          "server up",
          Duration.ofSeconds(60),
          () -> {
            try {
              return ForkedServer.RawHttp.request(port, "GET", "/v1/flags", Chaos.READ, null)
                      .status()
                  == 200;
            } catch (IOException notYet) {
              return false;
            }
          });
      try {
        ForkedServer.RawHttp.request(
            port, "PUT", "/v1/admin/config/x/y", Chaos.ADMIN, "\"oom-now\"");
      } catch (IOException goneMidRequest) {
        // the process may exit before it answers
      }
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the process exited").isTrue();
      assertThat(p.exitValue()).isEqualTo(70);
      List<String> lines = Files.readAllLines(log);
      assertThat(lines)
          .anyMatch(l -> l.contains("Fatal java.lang.OutOfMemoryError") && l.contains("exit"));
    } finally {
      p.destroyForcibly();
    }
  }
}
