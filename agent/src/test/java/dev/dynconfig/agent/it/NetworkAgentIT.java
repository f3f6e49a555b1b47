package dev.dynconfig.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.server.DynconfigServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on the network: a real {@link DynconfigServer} on loopback in the test JVM, the app in
 * its own JVM under the real agent jar with {@code source=websocket} or {@code source=remote}.
 * Admin writes and hand edits of the server's file flip the app's {@code @Toggle}; the app survives
 * a server restart and starts from its offline cache while the server is down.
 */
class NetworkAgentIT {
  private static final String READ = "read-token-R";
  private static final String ADMIN = "admin-token-A";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  private Path serverFile;
  private DynconfigServer server;

  @BeforeEach
  void setUp() throws Exception {
    Fixtures.assumeEngine();
    serverFile = Files.createDirectories(dir.resolve("server")).resolve("flags.json");
    Fixtures.write(serverFile, Fixtures.document(1, true, 1500, 34, 33, 33));
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void webSocket_adminWritesAndHandEdits_flipTheApp_andItReconnectsAfterAServerRestart()
      throws Exception {
    int port = startServer(0);
    String url = "ws://127.0.0.1:" + port + "/v1/stream";
    try (ChildJvm app =
        ChildJvm.start(dir, jvm("source=websocket,url=" + url + fastRetry() + PATIENT))) {
      // Within initTimeout the very first call in main already sees the server's value.
      assertThat(app.awaitOut(0, l -> l.startsWith("first price="), "first call"))
          .as(app::dump)
          .isEqualTo("first price=new");

      putFlag(port, false);
      app.askUntil("price", "price=legacy", "an admin write reaching the app over the WebSocket");

      Fixtures.write(serverFile, Fixtures.document(1, true, 1500, 34, 33, 33));
      app.askUntil("price", "price=new", "a hand edit of the server's file reaching the app");

      // Down, edited while down, up again on the same port: the app reconnects on its own and
      // converges to the version the restarted server publishes.
      server.close();
      server = null;
      Fixtures.write(serverFile, Fixtures.document(1, false, 1500, 34, 33, 33));
      startServer(port);
      app.askUntil("price", "price=legacy", "the restarted server's version");
      putFlag(port, true);
      app.askUntil("price", "price=new", "an admin write after the restart");
    }
  }

  @Test
  void httpPolling_adminWriteFlipsTheApp() throws Exception {
    int port = startServer(0);
    String url = "http://127.0.0.1:" + port + "/v1/flags";
    try (ChildJvm app =
        ChildJvm.start(dir, jvm("source=remote,url=" + url + ",pollingInterval=200ms" + PATIENT))) {
      assertThat(app.awaitOut(0, l -> l.startsWith("first price="), "first call"))
          .isEqualTo("first price=new");
      putFlag(port, false);
      app.askUntil("price", "price=legacy", "an admin write reaching the app by polling");
      putFlag(port, true);
      app.askUntil("price", "price=new", "the next admin write");
    }
  }

  @Test
  void serverDown_atStart_fallbackCacheServesTheOfflineCache_fallbackDefaultTheCodeDefaults()
      throws Exception {
    int port = startServer(0);
    String url = "ws://127.0.0.1:" + port + "/v1/stream";
    Path cache = dir.resolve("cache.json");
    String options = "source=websocket,url=" + url + ",cacheFile=" + cache;
    try (ChildJvm app = ChildJvm.start(dir, jvm(options + PATIENT))) {
      assertThat(app.awaitOut(0, l -> l.startsWith("first price="), "first call"))
          .isEqualTo("first price=new");
      awaitFile(cache, app);
      assertThat(app.ask("quit", "bye")).isEqualTo("bye");
      assertThat(app.awaitExit()).isZero();
    }
    server.close();
    server = null;

    // The cached document says new-pricing=true; the code default (@Toggle) is false.
    String down = options + ",initTimeout=500ms" + fastRetry();
    try (ChildJvm app = ChildJvm.start(dir, jvm(down + ",fallback=cache"))) {
      assertThat(app.awaitOut(0, l -> l.startsWith("first price="), "first call"))
          .as(app.dump())
          .isEqualTo("first price=new");
    }
    try (ChildJvm app = ChildJvm.start(dir, jvm(down + ",fallback=default"))) {
      assertThat(app.awaitOut(0, l -> l.startsWith("first price="), "first call"))
          .as(app.dump())
          .isEqualTo("first price=legacy");
      app.awaitErr(l -> l.contains("fallback=default"), "the log saying it runs on code defaults");
    }
  }

  /**
   * For the apps that must see the server's value on their first call: the default initTimeout (3
   * s) is enough on a quiet machine, but a loaded 2-core CI runner can spend longer than that on a
   * JVM's first TLS/Netty set-up and first connection. These tests check that the first call waits
   * for the server, not how fast the machine is.
   */
  private static final String PATIENT = ",initTimeout=20s";

  private static String fastRetry() {
    return ",retry.baseDelay=100ms,retry.maxDelay=500ms";
  }

  private List<String> jvm(String agentOptions) throws Exception {
    List<String> args = new ArrayList<>();
    // The token through the environment-style system property, as the README recommends keeping
    // it off the agent argument.
    args.add("-javaagent:" + ChildJvm.AGENT_JAR.toAbsolutePath() + "=" + agentOptions);
    args.add("-Ddynconfig.token=" + READ);
    args.add("-cp");
    args.add(Fixtures.appClasspath("current"));
    args.add("com.acme.itapp.CommandApp");
    return args;
  }

  /** Starts the server (port 0 = any free one), retrying a busy port; returns its port. */
  private int startServer(int port) throws Exception {
    long deadline = System.nanoTime() + ChildJvm.TIMEOUT.toNanos();
    while (true) {
      try {
        server =
            DynconfigServer.builder()
                .file(serverFile)
                .host("127.0.0.1")
                .port(port)
                .readToken(READ)
                .adminToken(ADMIN)
                .build()
                .start();
        return server.port();
      } catch (IOException | RuntimeException e) {
        // The old listener's port may take a moment to be released.
        if (port == 0 || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static void putFlag(int port, boolean on) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v1/admin/flags/new-pricing"))
                .header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"key\": \"new-pricing\", \"defaultValue\": " + on + "}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private static void awaitFile(Path file, ChildJvm app) throws InterruptedException {
    long deadline = System.nanoTime() + ChildJvm.TIMEOUT.toNanos();
    while (!Files.isRegularFile(file)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no offline cache at " + file + "\n" + app.dump());
      }
      Thread.sleep(50);
    }
  }
}
