package dev.dynconfig.server.chaos;

import dev.dynconfig.server.DocumentValidator;
import dev.dynconfig.server.DynconfigServer;
import java.nio.file.Path;

/**
 * The server as {@code ServerMain} runs it (default fatal-error handling), with a validator that
 * throws {@link OutOfMemoryError} for a document containing {@code "oom-now"}: the store thread
 * meets a fatal error on demand, in a JVM of its own. Arguments: flag file, port.
 */
public final class FatalServerMain {
  private FatalServerMain() {}

  public static void main(String[] args) throws Exception {
    DocumentValidator engine = DocumentValidator.ENGINE;
    DynconfigServer.builder()
        .file(Path.of(args[0]))
        .host("127.0.0.1")
        .port(Integer.parseInt(args[1]))
        .readToken(Chaos.READ)
        .adminToken(Chaos.ADMIN)
        .validator(
            (content, origin) -> {
              if (new String(content, java.nio.charset.StandardCharsets.UTF_8)
                  .contains("oom-now")) {
                throw new OutOfMemoryError("simulated: Java heap space");
              }
              engine.validate(content, origin);
            })
        .build()
        .start();
    Thread.currentThread().join(); // serve until the process is stopped
  }
}
