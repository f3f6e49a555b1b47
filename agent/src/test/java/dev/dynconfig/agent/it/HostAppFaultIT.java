package dev.dynconfig.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults injected inside the engine side of the agent (by the test-only fault agent, see {@code
 * dev.dynconfig.testagent.Fault}) while a host app ({@code com.acme.itapp.FaultApp}) hammers the
 * rewritten methods from four threads and reports any {@link Throwable} it catches. For every
 * fault: nothing reaches the app, the methods run their original body or the live/last good value,
 * the app's threads keep making progress, and the failure is logged once, naming what failed.
 *
 * <p>Progress is asserted with the app's call counter (bounded polls of its output), never with
 * timings.
 */
class HostAppFaultIT {
  private static final Pattern PROGRESS =
      Pattern.compile("progress calls=(\\d+) min=(\\d+) thrown=(\\d+) values=(\\S+)");

  @TempDir Path dir;
  private Path flags;

  @BeforeEach
  void setUp() {
    Fixtures.assumeEngine();
    flags = dir.resolve("flags.json");
  }

  @ParameterizedTest(name = "fault {0}")
  @ValueSource(strings = {"throw", "error"})
  void failingEvaluation_runsOriginalBodies_andNothingReachesTheApp(String fault) throws Exception {
    // Live values would be legacy/2500/2; the original bodies answer new/1000/3.
    Fixtures.write(flags, document(1, false, 2500, "variant-a"));
    try (ChildJvm app = start(fault)) {
      Progress p = awaitProgress(app, 0, q -> q.min >= 1_000, "1,000 calls per worker");
      System.out.printf(
          "HostAppFaultIT %s: %,d calls, %d thrown into the app, %d log lines%n",
          fault, p.calls, p.thrown, lines(app.err, l -> l.contains("evaluation for")).size());
      assertThat(p.values).isEqualTo("new/1000/3");
      assertNothingReachedTheApp(app, p);
      List<String> logged = lines(app.err, l -> l.contains("] ERROR evaluation for"));
      assertThat(logged)
          .as("rate-limited to one line a minute, naming the method\n%s", app.dump())
          .hasSize(1);
      assertThat(logged.get(0))
          .contains("com.acme.itapp.Checkout#")
          .contains("the method's original body ran instead");
      String injected = fault.equals("throw") ? "IllegalStateException" : "StackOverflowError";
      assertThat(lines(app.err, l -> l.contains(injected) && l.contains("fault injected")))
          .hasSize(1);
    }
  }

  @Test
  void slowEvaluation_servesLiveValues_andFileEditsStillApply() throws Exception {
    Fixtures.write(flags, document(1, false, 2500, "variant-a"));
    try (ChildJvm app = start("slow:20")) {
      awaitProgress(app, 0, q -> q.min >= 3 && q.values.equals("legacy/2500/2"), "live values");
      int mark = app.out.size();
      Fixtures.write(flags, document(2, true, 3500, "variant-b"));
      Progress p = awaitProgress(app, mark, q -> q.values.equals("new/3500/1"), "edit applied");
      assertNothingReachedTheApp(app, p);
      assertThat(lines(app.err, l -> l.contains("evaluation for"))).isEmpty();
    }
  }

  @Test
  void listenerOutOfMemory_onEveryReload_neitherReachesTheApp_norStopsLaterEdits()
      throws Exception {
    // v1 has no test: the @Variant entry body runs (3) until a snapshot defines it. The failing
    // listeners run before the agent's own snapshot listener; if an Error skipped it, steps would
    // stay 3 after v2.
    Fixtures.write(flags, document(1, true, 1500, null));
    try (ChildJvm app = start("listenerOom")) {
      awaitProgress(app, 0, q -> q.values.equals("new/1500/3"), "v1");
      int mark = app.out.size();
      Fixtures.write(flags, document(2, false, 2500, "variant-a"));
      awaitProgress(app, mark, q -> q.values.equals("legacy/2500/2"), "v2 despite the OOMs");
      app.awaitErr(
          l ->
              l.contains("A config listener (")
                  && l.contains("FaultInjection")
                  && l.contains("threw"),
          "config listener failure logged, naming the listener");
      app.awaitErr(
          l -> l.contains("A snapshot listener (") && l.contains("FaultInjection"),
          "snapshot listener failure logged, naming the listener");
      app.awaitErr(
          l -> l.contains("OutOfMemoryError: fault injected") && l.contains("config listener"),
          "the error itself");

      mark = app.out.size();
      Fixtures.write(flags, document(3, true, 3500, "variant-b"));
      Progress p = awaitProgress(app, mark, q -> q.values.equals("new/3500/1"), "v3 still applies");
      app.awaitErr(l -> l.contains("Applied") && l.contains("version 3"), "v3 applied log");
      assertNothingReachedTheApp(app, p);
    }
  }

  @Test
  void reloadStalledWhileHoldingTheEngineLock_neverBlocksAppThreads_andTheAppStillExits()
      throws Exception {
    Fixtures.write(flags, document(1, true, 1500, "variant-a"));
    try (ChildJvm app = start("swapStall")) {
      awaitProgress(app, 0, q -> q.values.equals("new/1500/2"), "v1");
      Fixtures.write(flags, document(2, false, 2500, "variant-b"));
      app.awaitErr(l -> l.contains("stalls until the JVM exits"), "stall begins");
      // Everything printed from now on was measured while the reload path is stalled (forever).
      Progress p0 = awaitProgress(app, app.out.size(), q -> true, "progress during the stall");
      // The new snapshot was published before the listeners ran, so it serves during the stall.
      Progress p =
          awaitProgress(
              app,
              app.out.size(),
              q -> q.calls >= p0.calls + 30_000 && q.min > p0.min,
              "30,000 more calls, every worker moving, while the reload is stalled");
      assertThat(p.values).isEqualTo("legacy/2500/1");
      System.out.printf(
          "HostAppFaultIT swapStall: %,d calls (slowest worker %,d) while the reload was stalled%n",
          p.calls - p0.calls, p.min - p0.min);
      assertNothingReachedTheApp(app, p);
      assertThat(lines(app.err, l -> l.contains("stall is over"))).isEmpty();

      app.ask("quit", "bye");
      assertThat(app.awaitExit())
          .as("main returned while the agent's reload thread is stuck")
          .isZero();
    }
  }

  // ---------------------------------------------------------------------------------------------

  private ChildJvm start(String fault) throws Exception {
    List<String> args = new ArrayList<>();
    args.add(ChildJvm.faultAgent(fault));
    args.add("-javaagent:" + ChildJvm.AGENT_JAR.toAbsolutePath() + "=file=flags.json");
    args.add("-cp");
    args.add(Fixtures.appClasspath("current"));
    args.add("com.acme.itapp.FaultApp");
    args.add("4");
    ChildJvm app = ChildJvm.start(dir, args);
    app.awaitErr(l -> l.contains("TEST-ONLY fault injection is active"), "fault announced");
    return app;
  }

  /** A native document; {@code variant} null leaves the test out, else gets 100 % of users. */
  private static String document(int version, boolean newPricing, long timeoutMs, String variant) {
    String test =
        variant == null
            ? ""
            : """
              "tests": [{"id": "checkout-experiment", "name": "Checkout", "status": "running",
                         "variants": [{"id": "control", "name": "Original", "isControl": true},
                                      {"id": "variant-a", "name": "Optimized"},
                                      {"id": "variant-b", "name": "Express"}],
                         "allocation": {"control": %d, "variant-a": %d, "variant-b": %d}}],
              """
                .formatted(
                    variant.equals("control") ? 100 : 0,
                    variant.equals("variant-a") ? 100 : 0,
                    variant.equals("variant-b") ? 100 : 0);
    return """
        {
          "version": %d,
          "flags": [{"key": "new-pricing", "defaultValue": %s}],
          %s
          "config": {"checkout": {"timeoutMs": %d}}
        }
        """
        .formatted(version, newPricing, test, timeoutMs);
  }

  private record Progress(long calls, long min, long thrown, String values) {}

  private static Progress parse(String line) {
    Matcher m = PROGRESS.matcher(line);
    if (!m.find()) {
      return null;
    }
    return new Progress(
        Long.parseLong(m.group(1)),
        Long.parseLong(m.group(2)),
        Long.parseLong(m.group(3)),
        m.group(4));
  }

  private static Progress awaitProgress(
      ChildJvm app, int from, Predicate<Progress> matching, String what) throws Exception {
    return parse(
        app.awaitOut(
            from,
            l -> {
              Progress p = parse(l);
              return p != null && matching.test(p);
            },
            what));
  }

  private static void assertNothingReachedTheApp(ChildJvm app, Progress p) {
    assertThat(p.thrown).as("throwables caught by the app\n%s", app.dump()).isZero();
    assertThat(lines(app.out, l -> l.startsWith("THROWN"))).isEmpty();
    assertThat(lines(app.err, l -> l.startsWith("Exception in thread")))
        .as("no thread died\n%s", app.dump())
        .isEmpty();
  }

  private static List<String> lines(List<String> lines, Predicate<String> matching) {
    return new ArrayList<>(lines).stream().filter(matching).toList();
  }
}
