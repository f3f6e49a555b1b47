package dev.dynconfig.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.BucketingVersion;
import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.FeatureFlag;
import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.internal.document.Document;
import dev.dynconfig.internal.document.DocumentParser;
import dev.dynconfig.internal.document.FlagdFlag;
import dev.dynconfig.internal.rules.Bucketing;
import dev.dynconfig.internal.source.SourceSink;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Which flags the engine evaluates inline (the shapes of {@link FastShape}), and that the inline
 * answer is exactly the flag's full evaluation (the compiled rule tree over the context): the whole
 * result (value, reason, variant, error, metadata) for every flag below, every form of context and
 * every caller default the inline path admits.
 */
class FastShapeTest {
  /** flagd flags, each named after the shape it must compile to. */
  static final String FLAGD =
      q(
          """
          {'metadata': {'team': 'checkout'}, 'flags': {
            'static': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'on', 'metadata': {'owner': 'ann'}},
            'rollout': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off', 'targeting': {'fractional': [['on', 25], ['off', 75]]}},
            'rollout-cat': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off', 'targeting': {'fractional': [
                {'cat': [{'var': '$flagd.flagKey'}, {'var': 'targetingKey'}]}, ['on', 25], ['off', 75]]}},
            'rollout-seed': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off', 'targeting': {'fractional': [
                {'cat': ['shared-seed', {'var': 'targetingKey'}]}, ['on', 50], ['off', 50]]}},
            'rollout-by-key': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off', 'targeting': {'fractional': [
                {'var': 'targetingKey'}, ['on', 50], ['off', 50]]}},
            'rollout-uneven': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'on', 'targeting': {'fractional': [['off', 1], ['on', 6]]}},
            'rollout-shorthand': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off', 'targeting': {'fractional': [['on'], ['off', 3]]}},
            'rollout-null-variant': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off', 'targeting': {'fractional': [['on', 30], [null, 70]]}},
            'rollout-all': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off', 'targeting': {'fractional': [['on', 1], ['off', 0]]}},
            'rollout-no-default': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'targeting': {'fractional': [['on', 25], ['off', 75]]}},
            'rule': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off',
              'targeting': {'if': [{'==': [{'var': 'plan'}, 'premium']}, 'on', 'off']}},
            'rule-strict-reversed': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off',
              'targeting': {'if': [{'===': ['premium', {'var': ['plan']}]}, 'on', 'off']}},
            'rule-negated': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off',
              'targeting': {'if': [{'!=': [{'var': 'plan'}, 'premium']}, 'on', 'off']}},
            'rule-no-else': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off',
              'targeting': {'if': [{'==': [{'var': 'plan'}, 'premium']}, 'on']}},
            'rule-bare': {'state': 'ENABLED', 'variants': {'true': true, 'false': false},
              'defaultVariant': 'false', 'targeting': {'==': [{'var': 'plan'}, 'premium']}},
            'rule-number-string': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off',
              'targeting': {'if': [{'==': [{'var': 'plan'}, '1']}, 'on', 'off']}},
            'general-three-way': {'state': 'ENABLED',
              'variants': {'a': true, 'b': false, 'c': false}, 'defaultVariant': 'c',
              'targeting': {'fractional': [['a', 25], ['b', 25], ['c', 50]]}},
            'general-by-email': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off', 'targeting': {'fractional': [
                {'var': 'email'}, ['on', 50], ['off', 50]]}},
            'general-computed-weight': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off', 'targeting': {'fractional': [
                ['on', {'var': 'weight'}], ['off', 50]]}},
            'general-zero-weights': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off', 'targeting': {'fractional': [['on', 0], ['off', 0]]}},
            'general-var-vs-var': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off',
              'targeting': {'if': [{'==': [{'var': 'plan'}, {'var': 'tier'}]}, 'on', 'off']}},
            'general-number-literal': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off',
              'targeting': {'if': [{'==': [{'var': 'plan'}, 1]}, 'on', 'off']}},
            'general-built-in': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off',
              'targeting': {'if': [{'==': [{'var': 'userId'}, 'user-1']}, 'on', 'off']}},
            'general-nested': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off',
              'targeting': {'if': [{'==': [{'var': 'plan.tier'}, 'gold']}, 'on', 'off']}},
            'general-fallback': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off',
              'targeting': {'if': [{'==': [{'var': ['plan', 'premium']}, 'premium']}, 'on', 'off']}},
            'general-unknown-variant': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off',
              'targeting': {'if': [{'==': [{'var': 'plan'}, 'premium']}, 'on', 'maybe']}},
            'general-if-chain': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off', 'targeting': {'if': [
                {'==': [{'var': 'plan'}, 'premium']}, 'on', {'==': [{'var': 'plan'}, 'gold']}, 'on', 'off']}},
            'general-no-default-null': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'targeting': {'if': [{'==': [{'var': 'plan'}, 'premium']}, 'on']}},
            'general-string-variants': {'state': 'ENABLED', 'variants': {'a': 'A', 'b': 'B'},
              'defaultVariant': 'a'},
            'general-disabled': {'state': 'DISABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'on'},
            'general-no-default': {'state': 'ENABLED', 'variants': {'on': true, 'off': false}},
            'general-broken': {'state': 'ENABLED', 'variants': {'on': true, 'off': false},
              'defaultVariant': 'off', 'targeting': {'invalid': [1]}}
          }}
          """);

  /** Native flags, named as above. */
  static final String NATIVE =
      q(
          """
          {'flags': [
            {'key': 'static', 'defaultValue': true, 'variant': 'v1', 'metadata': {'owner': 'ann'}},
            {'key': 'static-zero-rollout', 'defaultValue': false, 'rolloutPercentage': 0},
            {'key': 'rollout', 'rolloutPercentage': 25},
            {'key': 'rollout-all', 'rolloutPercentage': 100},
            {'key': 'rule', 'targeting': {'==': [{'var': 'plan'}, 'premium']}},
            {'key': 'rule-with-rollout', 'rolloutPercentage': 30,
             'targeting': {'===': ['premium', {'var': 'plan'}]}},
            {'key': 'rule-negated', 'targeting': {'!=': [{'var': 'plan'}, 'premium']}},
            {'key': 'rule-if', 'targeting': {'if': [{'==': [{'var': 'plan'}, 'premium']}, 'yes', '']}},
            {'key': 'general-expiring', 'defaultValue': true, 'expiresAt': '2999-01-01T00:00:00Z'},
            {'key': 'general-environments', 'defaultValue': true, 'environments': ['production']},
            {'key': 'general-role', 'defaultValue': true, 'minRole': 'admin'},
            {'key': 'general-var-vs-var', 'targeting': {'==': [{'var': 'plan'}, {'var': 'tier'}]}},
            {'key': 'general-built-in', 'targeting': {'==': [{'var': 'userId'}, 'user-1']}}
          ], 'roles': ['user', 'admin']}
          """);

  @ParameterizedTest
  @CsvSource({
    "static, STATIC",
    "rollout, ROLLOUT",
    "rollout-cat, ROLLOUT",
    "rollout-seed, ROLLOUT",
    "rollout-by-key, ROLLOUT",
    "rollout-uneven, ROLLOUT",
    "rollout-shorthand, ROLLOUT",
    "rollout-null-variant, ROLLOUT",
    "rollout-all, ROLLOUT",
    "rollout-no-default, ROLLOUT",
    "rule, ATTRIBUTE_EQUALS",
    "rule-strict-reversed, ATTRIBUTE_EQUALS",
    "rule-negated, ATTRIBUTE_EQUALS",
    "rule-no-else, ATTRIBUTE_EQUALS",
    "rule-bare, ATTRIBUTE_EQUALS",
    "rule-number-string, ATTRIBUTE_EQUALS",
    "general-three-way, GENERAL",
    "general-by-email, GENERAL",
    "general-computed-weight, GENERAL",
    "general-zero-weights, GENERAL",
    "general-var-vs-var, GENERAL",
    "general-number-literal, GENERAL",
    "general-built-in, GENERAL",
    "general-nested, GENERAL",
    "general-fallback, GENERAL",
    "general-unknown-variant, GENERAL",
    "general-if-chain, GENERAL",
    "general-no-default-null, GENERAL",
    "general-string-variants, GENERAL",
    "general-disabled, GENERAL",
    "general-no-default, GENERAL",
    "general-broken, GENERAL"
  })
  void flagdFlag_compilesToItsShape(String key, String shape) throws Exception {
    for (int version : new int[] {Bucketing.V1, Bucketing.V2, Bucketing.V3}) {
      assertThat(shapeName(flagd(key, version).shape)).as("%s, v%d", key, version).isEqualTo(shape);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "static, STATIC",
    "static-zero-rollout, STATIC",
    "rollout, ROLLOUT",
    "rollout-all, ROLLOUT",
    "rule, ATTRIBUTE_EQUALS",
    "rule-with-rollout, ATTRIBUTE_EQUALS",
    "rule-negated, ATTRIBUTE_EQUALS",
    "rule-if, ATTRIBUTE_EQUALS",
    "general-expiring, GENERAL",
    "general-environments, GENERAL",
    "general-role, GENERAL",
    "general-var-vs-var, GENERAL",
    "general-built-in, GENERAL"
  })
  void nativeFlag_compilesToItsShape(String key, String shape) throws Exception {
    Document d = DocumentParser.load(NATIVE.getBytes(StandardCharsets.UTF_8), "native.json");
    FeatureFlag f = d.flags().stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow();
    NativeFlag flag =
        new NativeFlag(
            f, d.rawFlag(key), d.rule(key), new FlagCounters(), Clock.systemUTC(), Bucketing.V2);
    assertThat(shapeName(flag.shape)).isEqualTo(shape);
  }

  @ParameterizedTest
  @EnumSource(BucketingVersion.class)
  void inlineAnswers_areTheFullEvaluations_ofEveryFlag(BucketingVersion version) {
    for (String doc : List.of(FLAGD, NATIVE)) {
      DynamicConfig inline = engine(doc, version);
      DynamicConfig full = engine(doc, version);
      // Any override sends every evaluation through the flag's full evaluation: the reference.
      full.setOverride("some-other-flag", true);
      for (String key : keys(doc)) {
        for (EvaluationContext c : contexts()) {
          for (Object callerDefault : new Object[] {null, Boolean.FALSE, Boolean.TRUE}) {
            FlagEvaluation expected = full.evaluateFlag(key, c, callerDefault);
            assertThat(inline.evaluateFlag(key, c, callerDefault))
                .as("%s for %s, default %s", key, c, callerDefault)
                .isEqualTo(expected);
          }
        }
        for (String user : users(200)) {
          assertThat(inline.evaluateFlagForUser(key, user, Boolean.FALSE))
              .as("%s for user %s", key, user)
              .isEqualTo(full.evaluateFlag(key, EvaluationContext.ofUser(user), Boolean.FALSE));
        }
        assertThat(inline.evaluateFlagForUser(key, null, null))
            .isEqualTo(full.evaluateFlag(key, EvaluationContext.empty(), null));
      }
    }
  }

  /**
   * {@link FastShape#evaluate} must stay a call from {@code Engine.evaluate} (see its Javadoc): C2
   * never inlines a method of more than {@code FreqInlineSize} (325) bytes of bytecode.
   */
  @org.junit.jupiter.api.Test
  void fastShapeEvaluate_isTooLargeForTheJitToInline() throws Exception {
    assertThat(bytecodeLength(FastShape.class, "evaluate")).isGreaterThan(325);
  }

  /** The length of the Code attribute of the one method of this name, read from the class file. */
  private static int bytecodeLength(Class<?> type, String method) throws Exception {
    try (var in =
        new java.io.DataInputStream(type.getResourceAsStream(type.getSimpleName() + ".class"))) {
      in.skipBytes(8); // magic, minor, major
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 3, 4 -> in.skipBytes(4);
          case 5, 6 -> {
            in.skipBytes(8);
            i++; // longs and doubles take two entries
          }
          case 7, 8, 16, 19, 20 -> in.skipBytes(2);
          case 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
          case 15 -> in.skipBytes(3);
          default -> throw new IllegalStateException("constant pool tag " + tag);
        }
      }
      in.skipBytes(6); // access flags, this, super
      in.skipBytes(2 * in.readUnsignedShort()); // interfaces
      for (int f = in.readUnsignedShort(); f > 0; f--) {
        in.skipBytes(6);
        for (int a = in.readUnsignedShort(); a > 0; a--) {
          in.skipBytes(2);
          in.skipBytes(in.readInt());
        }
      }
      int found = -1;
      for (int m = in.readUnsignedShort(); m > 0; m--) {
        in.skipBytes(2);
        String name = utf8[in.readUnsignedShort()];
        in.skipBytes(2);
        for (int a = in.readUnsignedShort(); a > 0; a--) {
          String attribute = utf8[in.readUnsignedShort()];
          int length = in.readInt();
          if (name.equals(method) && attribute.equals("Code")) {
            in.skipBytes(4); // max stack, max locals
            assertThat(found).as("one method named %s", method).isEqualTo(-1);
            found = in.readInt();
            in.skipBytes(length - 8);
          } else {
            in.skipBytes(length);
          }
        }
      }
      return found;
    }
  }

  /** Users with ASCII and non-ASCII ids, in every form a context can take. */
  private static List<EvaluationContext> contexts() {
    List<EvaluationContext> out = new ArrayList<>();
    Object[] plans = {"premium", "free", "1", null, 1L, 1.0, true, List.of("premium")};
    List<String> users = users(300);
    for (int i = 0; i < users.size(); i++) {
      String user = users.get(i);
      Object plan = plans[i % plans.length];
      out.add(EvaluationContext.builder().userId(user).attribute("plan", plan).build());
      out.add(EvaluationContext.builder().targetingKey(user).attribute("plan", plan).build());
      Map<String, Object> attributes = new HashMap<>();
      attributes.put("plan", plan);
      attributes.put("tier", "premium");
      attributes.put("email", user + "@example.com");
      attributes.put("weight", 10);
      out.add(EvaluationContext.of(null, user, null, null, attributes));
    }
    out.add(EvaluationContext.empty());
    out.add(EvaluationContext.builder().attribute("plan", "premium").build());
    // No targeting key, but an attribute of that name: fractional buckets by it.
    out.add(EvaluationContext.builder().attribute("targetingKey", "user-1").build());
    out.add(EvaluationContext.builder().userId("user-1").environment("production").build());
    out.add(EvaluationContext.of("user-1", null, null, "admin", Map.of("plan", "premium")));
    return out;
  }

  static List<String> users(int count) {
    Random random = new Random(11);
    List<String> users = new ArrayList<>();
    String[] odd = {"é", "日本", "😀", "\u0080", "\ud800", ""};
    for (int i = 0; i < count; i++) {
      String id = new UUID(random.nextLong(), random.nextLong()).toString();
      users.add(i % 10 == 0 ? odd[(i / 10) % odd.length] + id : id);
    }
    return users;
  }

  private static DynamicConfig engine(String doc, BucketingVersion version) {
    DynamicConfig config =
        DynamicConfig.create(DynamicConfigOptions.builder().bucketing(version).build());
    assertThat(config.sink().offer(doc.getBytes(StandardCharsets.UTF_8), -1, "test.json"))
        .isEqualTo(SourceSink.OfferResult.APPLIED);
    return config;
  }

  private static List<String> keys(String doc) {
    try {
      Document d = DocumentParser.load(doc.getBytes(StandardCharsets.UTF_8), "keys.json");
      // Interned, as a literal key is: the inline path finds flags by the key's identity.
      List<String> keys = new ArrayList<>();
      d.flags().forEach(f -> keys.add(f.key().intern()));
      d.flagdFlags().forEach(f -> keys.add(f.key().intern()));
      return keys;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static FlagdCompiled flagd(String key, int version) throws Exception {
    Document d = DocumentParser.load(FLAGD.getBytes(StandardCharsets.UTF_8), "flagd.json");
    FlagdFlag f =
        d.flagdFlags().stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow();
    return new FlagdCompiled(
        f,
        d.rawFlag(key),
        d.rule(key),
        new FlagCounters(),
        Clock.systemUTC(),
        d.metadata(),
        d.brokenFlags().get(key),
        version);
  }

  private static String shapeName(int shape) {
    return switch (shape) {
      case CompiledFlag.STATIC -> "STATIC";
      case CompiledFlag.ROLLOUT -> "ROLLOUT";
      case CompiledFlag.ATTRIBUTE_EQUALS -> "ATTRIBUTE_EQUALS";
      default -> "GENERAL";
    };
  }

  private static String q(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }
}
