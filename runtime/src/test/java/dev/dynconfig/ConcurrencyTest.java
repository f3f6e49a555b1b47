package dev.dynconfig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.internal.source.SourceSink.OfferResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Many threads evaluate while another swaps documents: every evaluation sees one version. */
class ConcurrencyTest {

  /** Version N: flags a and b both carry variant "vN", config x.n = N. */
  static byte[] doc(int n) {
    String v = "\"v" + n + "\"";
    return ("{\"version\":"
            + n
            + ",\"flags\":[{\"key\":\"a\",\"defaultValue\":"
            + (n % 2 == 0)
            + ",\"variant\":"
            + v
            + "},{\"key\":\"b\",\"defaultValue\":"
            + (n % 2 == 0)
            + ",\"variant\":"
            + v
            + ",\"rolloutPercentage\":50}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void evaluationsDuringReloads_neverMixTwoVersions() throws Exception {
    DynamicConfig config = DynamicConfig.create(DynamicConfigOptions.defaults());
    config.sink().offer(doc(0), -1, "test.json");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> failure = new AtomicReference<>();
    AtomicLong evaluations = new AtomicLong();
    int threads = 4;
    CountDownLatch started = new CountDownLatch(threads);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      EvaluationContext ctx = EvaluationContext.ofUser("user-" + t);
      Thread w =
          new Thread(
              () -> {
                started.countDown();
                while (!stop.get()) {
                  // One snapshot per evaluation: variant and value of one flag always agree.
                  FlagEvaluation a = config.evaluateFlag("a", ctx);
                  boolean even = Integer.parseInt(a.variant().substring(1)) % 2 == 0;
                  if (a.value() != Boolean.valueOf(even)) {
                    failure.compareAndSet(null, "flag a mixed versions: " + a);
                  }
                  FlagEvaluation b = config.evaluateFlag("b", ctx);
                  if (b.reason() == Reason.DEFAULT
                      && b.value()
                          != Boolean.valueOf(Integer.parseInt(b.variant().substring(1)) % 2 == 0)) {
                    failure.compareAndSet(null, "flag b mixed versions: " + b);
                  }
                  evaluations.incrementAndGet();
                }
              },
              "evaluator-" + t);
      workers.add(w);
      w.start();
    }
    started.await();
    for (int n = 1; n <= 400; n++) {
      assertThat(config.sink().offer(doc(n), -1, "test.json")).isEqualTo(OfferResult.APPLIED);
    }
    stop.set(true);
    for (Thread w : workers) {
      w.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(evaluations.get()).isPositive();
    assertThat(config.getState().version()).isEqualTo(400);
  }

  @Test
  void versionsSeenByOneThread_neverGoBackwards() throws Exception {
    DynamicConfig config = DynamicConfig.create(DynamicConfigOptions.defaults());
    config.sink().offer(doc(0), -1, "test.json");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> failure = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              int last = 0;
              while (!stop.get()) {
                int v = Integer.parseInt(config.evaluateFlag("a", null).variant().substring(1));
                if (v < last) {
                  failure.compareAndSet(null, "saw v" + v + " after v" + last);
                }
                last = v;
              }
            });
    reader.start();
    for (int n = 1; n <= 300; n++) {
      config.sink().offer(doc(n), n, "http://server/v1/flags");
    }
    stop.set(true);
    reader.join();
    assertThat(failure.get()).isNull();
  }
}
