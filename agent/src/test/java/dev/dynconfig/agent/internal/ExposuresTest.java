package dev.dynconfig.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.fixture.Experiments;
import dev.dynconfig.bootstrap.Bridge;
import dev.dynconfig.bootstrap.Dispatcher;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exposures counted by the rewritten {@code @Variant} methods (in process, real bridge and
 * dispatcher, fake engine): per variant the calls that ran it, what it threw, and sampled latency;
 * the application sees the same results and exceptions as without counting.
 */
class ExposuresTest {
  private final SiteRegistry sites = new SiteRegistry();
  private final FakeEvaluator engine = new FakeEvaluator();
  private Dispatcher previous;
  private Object experiments;
  private Method search;

  @BeforeEach
  void install() throws Exception {
    previous =
        Bridge.install(
            new EngineDispatcher(
                sites, engine, new ContextAssembler("userId", "sessionId", "userRole", List.of())));
    Rewriter loader = new Rewriter(new SitePlanner(sites), Experiments.class);
    experiments = loader.loadClass(Experiments.class.getName()).getConstructor().newInstance();
    search = experiments.getClass().getMethod("search", String.class);
  }

  @AfterEach
  void uninstall() {
    Bridge.install(previous);
  }

  @Test
  void everyBranchThatRan_isCountedOnce_withItsErrors_andTheAppSeesTheSameResults()
      throws Exception {
    engine.tests.put("search", ctx -> "fast");
    for (int i = 0; i < 20; i++) {
      assertThat(search.invoke(experiments, "q")).isEqualTo(1L);
    }
    assertThatThrownBy(() -> search.invoke(experiments, "fast-fails"))
        .isInstanceOf(InvocationTargetException.class)
        .cause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fast failed");
    engine.tests.put("search", ctx -> "control");
    for (int i = 0; i < 9; i++) {
      assertThat(search.invoke(experiments, "query")).isEqualTo(30L);
    }
    assertThat(search.invoke(experiments, "control-catches")).isEqualTo(-1L);
    assertThatThrownBy(() -> search.invoke(experiments, "control-fails"))
        .cause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("control failed");
    engine.tests.put("search", ctx -> null); // not assigned: the body runs, no exposure
    assertThat(search.invoke(experiments, "q")).isEqualTo(3L);
    assertThatThrownBy(() -> search.invoke(experiments, "control-fails"))
        .cause()
        .isInstanceOf(IllegalArgumentException.class);

    ExposureCounters.Totals totals = site("search").exposures.totals();
    // slots: fast, fancy, control
    assertThat(totals.counts()).containsExactly(21, 0, 11);
    assertThat(totals.errors()).containsExactly(1, 0, 1);
    // One call in eight is timed: calls 1, 9, 17 of "fast" (the 21st threw); 1 and 9 of control.
    assertThat(Arrays.stream(totals.latency()[0]).sum()).isEqualTo(3);
    assertThat(Arrays.stream(totals.latency()[2]).sum()).isEqualTo(2);
  }

  @Test
  void voidVariants_withWideArguments_areCounted() throws Exception {
    Method log = experiments.getClass().getMethod("log", StringBuilder.class, double.class);
    engine.tests.put("log", ctx -> "terse");
    StringBuilder out = new StringBuilder();
    log.invoke(experiments, out, 2.5);
    engine.tests.put("log", ctx -> "control");
    log.invoke(experiments, out, 2.5);

    assertThat(out).hasToString("tersecontrol 2.5");
    assertThat(site("log").exposures.totals().counts()).containsExactly(1, 1);
  }

  @Test
  void countedVariantCall_allocatesNothing() throws Exception {
    engine.tests.put("search", ctx -> "fast");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    int id = site("search").id;
    for (int i = 0; i < 20_000; i++) { // warm-up
      Bridge.variantEnd(Bridge.variantStart(id, 0), id, 0);
      Bridge.controlStart(id);
      Bridge.bodyEnd(id);
    }
    long before = threads.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 100_000; i++) {
      Bridge.variantEnd(Bridge.variantStart(id, 0), id, 0);
      Bridge.controlStart(id);
      Bridge.bodyEnd(id);
    }
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    // 200,000 counted calls; a single allocation per call would be >= 3.2 MB.
    assertThat(allocated).as("bytes allocated by 200,000 counted calls").isLessThan(4096);
  }

  private Site.VariantSite site(String test) {
    return sites.all().stream()
        .filter(s -> s instanceof Site.VariantSite v && v.test.equals(test))
        .map(s -> (Site.VariantSite) s)
        .findFirst()
        .orElseThrow();
  }
}
