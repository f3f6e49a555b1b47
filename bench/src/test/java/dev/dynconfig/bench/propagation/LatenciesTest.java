package dev.dynconfig.bench.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatenciesTest {
  @Test
  void percentile_isNearestRank_ofTheSortedSamples() {
    long[] samples = LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray(); // 100..1
    Latencies l = new Latencies(samples, samples.length);

    assertThat(l.percentile(50)).isEqualTo(50);
    assertThat(l.percentile(99)).isEqualTo(99);
    assertThat(l.max()).isEqualTo(100);
  }

  @Test
  void p99_ofFewSamples_isTheMaximum_notAnInterpolatedValue() {
    Latencies l = new Latencies(new long[] {10, 20, 1_000}, 3);

    assertThat(l.percentile(99)).isEqualTo(1_000);
    assertThat(l.percentile(50)).isEqualTo(20);
  }

  @Test
  void onlyTheFirstCountSamples_areUsed() {
    Latencies l = new Latencies(new long[] {5, 7, 0, 0}, 2);

    assertThat(l.count()).isEqualTo(2);
    assertThat(l.percentile(1)).isEqualTo(5);
  }

  @Test
  void ms_printsMicrosecondsAsMilliseconds() {
    assertThat(Latencies.ms(12_346)).isEqualTo("12.35");
    assertThat(Latencies.ms(-1_500)).isEqualTo("-1.50");
  }
}
