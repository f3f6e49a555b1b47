package dev.dynconfig.engine;

import java.util.concurrent.atomic.LongAdder;

/** Evaluation counts of one flag key; they survive reloads. Striped, so counting never contends. */
final class FlagCounters {
  final LongAdder trueCount = new LongAdder();
  final LongAdder falseCount = new LongAdder();
  final LongAdder otherCount = new LongAdder();

  void record(Object value) {
    if (value == Boolean.TRUE) {
      trueCount.increment();
    } else if (value == Boolean.FALSE) {
      falseCount.increment();
    } else {
      otherCount.increment();
    }
  }

  EngineIntrospection.FlagCounts snapshot() {
    return new EngineIntrospection.FlagCounts(trueCount.sum(), falseCount.sum(), otherCount.sum());
  }
}
