package dev.dynconfig.internal.engine;

import dev.dynconfig.AbTest;
import dev.dynconfig.BucketingVersion;
import dev.dynconfig.FeatureFlag;
import dev.dynconfig.internal.document.Document;
import dev.dynconfig.internal.document.FlagdFlag;
import dev.dynconfig.internal.rules.Bucketing;
import dev.dynconfig.internal.rules.Rule;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Compiles validated definitions (a whole document, or one flag or test registered from code) into
 * {@link CompiledFlag}s and {@link CompiledTest}s that record into the engine's {@link
 * EvaluationCounters}, each with its bucketing version fixed.
 */
final class DocumentCompiler {
  /** A document's flags and tests, compiled. */
  record Compiled(Map<String, CompiledFlag> flags, Map<String, CompiledTest> tests) {}

  private final Clock clock;
  private final BucketingVersion defaultBucketing;
  private final EvaluationCounters counters;

  DocumentCompiler(Clock clock, BucketingVersion defaultBucketing, EvaluationCounters counters) {
    this.clock = clock;
    this.defaultBucketing = defaultBucketing;
    this.counters = counters;
  }

  Compiled compile(Document doc) {
    // The document's own bucketing setting wins over the engine's option.
    int bucketing = bucketingNumber(doc.bucketing() != null ? doc.bucketing() : defaultBucketing);
    Map<String, CompiledFlag> flags = new HashMap<>();
    for (FeatureFlag f : doc.flags()) {
      flags.put(
          f.key(),
          new NativeFlag(
              f,
              doc.rawFlag(f.key()),
              doc.rule(f.key()),
              counters.flag(f.key()),
              clock,
              bucketing));
    }
    for (FlagdFlag f : doc.flagdFlags()) {
      flags.put(
          f.key(),
          new FlagdCompiled(
              f,
              doc.rawFlag(f.key()),
              doc.rule(f.key()),
              counters.flag(f.key()),
              clock,
              doc.metadata(),
              doc.brokenFlags().get(f.key()),
              bucketing));
    }
    Map<String, CompiledTest> tests = new HashMap<>();
    for (AbTest t : doc.tests()) {
      tests.put(t.id(), new CompiledTest(t, doc.rawTest(t.id()), counters.test(t.id()), bucketing));
    }
    return new Compiled(flags, tests);
  }

  /** A flag registered from code, bucketed by the engine's option. */
  NativeFlag registeredFlag(FeatureFlag f, Object tree, Rule rule) {
    return new NativeFlag(
        f, tree, rule, counters.flag(f.key()), clock, bucketingNumber(defaultBucketing));
  }

  /** A test registered from code, bucketed by the engine's option. */
  CompiledTest registeredTest(AbTest t, Object tree) {
    return new CompiledTest(t, tree, counters.test(t.id()), bucketingNumber(defaultBucketing));
  }

  private static int bucketingNumber(BucketingVersion v) {
    switch (v) {
      case V1:
        return Bucketing.V1;
      case V3:
        return Bucketing.V3;
      default:
        return Bucketing.V2;
    }
  }
}
