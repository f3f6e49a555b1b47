package dev.dynconfig.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.dynconfig.DynamicConfigOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.Hook;
import dev.openfeature.sdk.HookContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.MutableStructure;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Structure;
import dev.openfeature.sdk.Value;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenFeature SDK's contract, exercised through {@link OpenFeatureAPI} and its client as an
 * application uses them: typed evaluation, details, context mapping, hooks, errors as results.
 */
class ProviderContractTest {
  @TempDir Path dir;

  private OpenFeatureAPI api;
  private DynconfigProvider provider;
  private Client client;

  @BeforeEach
  void start() {
    Path file = FlagFiles.writeAtomically(dir.resolve("flags.json"), FlagFiles.FLAGD);
    api = OpenFeatureAPI.createIsolated();
    provider = new DynconfigProvider(DynamicConfigOptions.builder().file(file).build());
    api.setProviderAndWait(provider);
    client = api.getClient();
  }

  @AfterEach
  void stop() {
    api.shutdown();
  }

  @Test
  void booleanFlag_resolvesValueVariantAndReason_throughTheClient() {
    FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("new-checkout", false);

    assertThat(d.getValue()).isTrue();
    assertThat(d.getVariant()).isEqualTo("on");
    assertThat(d.getReason()).isEqualTo(Reason.STATIC.name());
    assertThat(d.getErrorCode()).isNull();
    assertThat(client.getProviderState()).isEqualTo(ProviderState.READY);
    assertThat(api.getProviderMetadata().getName()).isEqualTo("dynconfig");
  }

  @Test
  void stringFlag_targetsANestedStructureOfTheContext() {
    EvaluationContext premium =
        new ImmutableContext(
            "user-1",
            Map.of(
                "account",
                new Value(new ImmutableStructure(Map.of("plan", new Value("premium"))))));
    EvaluationContext free =
        new ImmutableContext(
            "user-2",
            Map.of(
                "account", new Value(new ImmutableStructure(Map.of("plan", new Value("free"))))));

    FlagEvaluationDetails<String> matched = client.getStringDetails("theme", "none", premium);
    FlagEvaluationDetails<String> fellThrough = client.getStringDetails("theme", "none", free);

    assertThat(matched.getValue()).isEqualTo("gold");
    assertThat(matched.getVariant()).isEqualTo("gold");
    assertThat(matched.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());
    assertThat(fellThrough.getValue()).isEqualTo("basic");
    assertThat(fellThrough.getReason()).isEqualTo(Reason.DEFAULT.name());
  }

  @Test
  void integerFlag_targetsAListAttribute() {
    EvaluationContext beta =
        new ImmutableContext(
            "user-1", Map.of("groups", new Value(List.of(new Value("staff"), new Value("beta")))));

    assertThat(client.getIntegerValue("max-items", 0, beta)).isEqualTo(250);
    assertThat(client.getIntegerValue("max-items", 0, new ImmutableContext("user-2"))).isEqualTo(3);
  }

  @Test
  void doubleFlag_resolvesFractionsAndWholeNumbers() {
    assertThat(client.getDoubleValue("discount", 9.0)).isEqualTo(0.5);
    assertThat(client.getDoubleDetails("max-items", 9.0).getValue()).isEqualTo(3.0);
  }

  @Test
  void objectFlag_resolvesANestedStructure() {
    FlagEvaluationDetails<Value> d = client.getObjectDetails("layout", new Value("fallback"));

    assertThat(d.getErrorCode()).isNull();
    assertThat(d.getVariant()).isEqualTo("compact");
    Structure layout = d.getValue().asStructure();
    assertThat(layout.getValue("columns").asInteger()).isEqualTo(2);
    assertThat(layout.getValue("dense").asBoolean()).isTrue();
    assertThat(layout.getValue("labels").asList())
        .extracting(Value::asString)
        .containsExactly("a", "b");
    assertThat(layout.getValue("nested").asStructure().getValue("ratio").asDouble()).isEqualTo(1.5);
  }

  @Test
  void targetingKey_isTheContextsTargetingKey() {
    assertThat(client.getBooleanValue("vip", false, new ImmutableContext("user-vip"))).isTrue();
    assertThat(client.getBooleanValue("vip", false, new ImmutableContext("user-1"))).isFalse();
  }

  @Test
  void instantAttributes_areComparedAsIsoStrings() {
    EvaluationContext early =
        new ImmutableContext(
            "user-1", Map.of("signedUpAt", new Value(Instant.parse("2024-06-30T12:00:00Z"))));
    EvaluationContext late =
        new ImmutableContext(
            "user-2", Map.of("signedUpAt", new Value(Instant.parse("2026-06-30T12:00:00Z"))));

    assertThat(client.getBooleanDetails("early-adopter", false, early).getReason())
        .isEqualTo(Reason.TARGETING_MATCH.name());
    assertThat(client.getBooleanValue("early-adopter", false, early)).isTrue();
    assertThat(client.getBooleanValue("early-adopter", false, late)).isFalse();
  }

  @Test
  void clientAndApiContexts_areMergedBeforeTheProviderSeesThem() {
    api.setEvaluationContext(
        new ImmutableContext(
            Map.of(
                "account",
                new Value(new ImmutableStructure(Map.of("plan", new Value("premium")))))));
    client.setEvaluationContext(new ImmutableContext("user-vip"));

    assertThat(client.getStringValue("theme", "none")).isEqualTo("gold");
    assertThat(client.getBooleanValue("vip", false)).isTrue();
  }

  @Test
  void disabledFlag_servesTheCallersDefault_withReasonDisabled() {
    FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("retired", false);

    assertThat(d.getValue()).isFalse();
    assertThat(d.getReason()).isEqualTo(Reason.DISABLED.name());
    assertThat(d.getErrorCode()).isNull();
  }

  @Test
  void typeMismatch_servesTheCallersDefault_withErrorCodeAndMessage() {
    FlagEvaluationDetails<String> stringOfBoolean = client.getStringDetails("new-checkout", "dflt");
    FlagEvaluationDetails<Boolean> booleanOfString = client.getBooleanDetails("theme", true);
    FlagEvaluationDetails<Integer> integerOfFraction = client.getIntegerDetails("discount", 7);
    FlagEvaluationDetails<Value> objectOfInteger =
        client.getObjectDetails("max-items", new Value("dflt"));

    assertThat(stringOfBoolean.getValue()).isEqualTo("dflt");
    assertThat(stringOfBoolean.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(stringOfBoolean.getReason()).isEqualTo(Reason.ERROR.name());
    assertThat(stringOfBoolean.getErrorMessage()).contains("new-checkout");
    assertThat(booleanOfString.getValue()).isTrue();
    assertThat(booleanOfString.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(integerOfFraction.getValue()).isEqualTo(7);
    assertThat(integerOfFraction.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(integerOfFraction.getErrorMessage()).contains("discount", "0.5", "integer");
    assertThat(objectOfInteger.getValue().asString()).isEqualTo("dflt");
    assertThat(objectOfInteger.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
  }

  @Test
  void unknownFlag_isFlagNotFound_withTheCallersDefault() {
    FlagEvaluationDetails<String> d = client.getStringDetails("no-such-flag", "dflt");

    assertThat(d.getValue()).isEqualTo("dflt");
    assertThat(d.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    assertThat(d.getReason()).isEqualTo(Reason.ERROR.name());
    assertThat(d.getErrorMessage()).contains("no-such-flag");
  }

  @Test
  void flagMetadata_isTheFlagSetsMergedWithTheFlagsOwn_typed_onResultsAndErrors() {
    ImmutableMetadata theme = client.getStringDetails("theme", "none").getFlagMetadata();
    ImmutableMetadata mismatch = client.getIntegerDetails("theme", 0).getFlagMetadata();
    ImmutableMetadata plain = client.getBooleanDetails("new-checkout", false).getFlagMetadata();

    assertThat(theme.getString("flagSetId")).isEqualTo("shop");
    assertThat(theme.getInteger("version")).isEqualTo(3);
    assertThat(theme.getString("owner")).isEqualTo("web");
    assertThat(theme.getDouble("ratio")).isEqualTo(0.25);
    assertThat(theme.getBoolean("beta")).isTrue();
    assertThat(theme.getLong("big")).isEqualTo(5_000_000_000L);
    assertThat(mismatch.asUnmodifiableMap()).isEqualTo(theme.asUnmodifiableMap());
    assertThat(plain.asUnmodifiableMap())
        .isEqualTo(Map.of("flagSetId", "shop", "version", 3, "owner", "platform"));
    assertThat(client.getBooleanDetails("no-such-flag", false).getFlagMetadata().isEmpty())
        .isTrue();
  }

  @Test
  void aFlagWhoseTargetingDoesNotCompile_isParseError_andTheOthersServe() {
    FlagEvaluationDetails<Boolean> broken = client.getBooleanDetails("broken", true);

    assertThat(broken.getValue()).isTrue();
    assertThat(broken.getErrorCode()).isEqualTo(ErrorCode.PARSE_ERROR);
    assertThat(broken.getReason()).isEqualTo(Reason.ERROR.name());
    assertThat(broken.getErrorMessage()).contains("no-such-operator");
    assertThat(broken.getFlagMetadata().getString("flagSetId")).isEqualTo("shop");
    assertThat(client.getBooleanValue("new-checkout", false)).isTrue();
  }

  @Test
  void hooks_runBeforeAfterAndFinally_andErrorHooksOnErrors() {
    List<String> calls = new CopyOnWriteArrayList<>();
    Hook<Object> recording =
        new Hook<>() {
          @Override
          public Optional<EvaluationContext> before(
              HookContext<Object> ctx, Map<String, Object> h) {
            calls.add("before " + ctx.getFlagKey());
            // A before hook may add to the context; the provider must see it.
            return Optional.of(new ImmutableContext("user-vip"));
          }

          @Override
          public void after(
              HookContext<Object> ctx, FlagEvaluationDetails<Object> d, Map<String, Object> h) {
            calls.add("after " + ctx.getFlagKey() + "=" + d.getValue());
          }

          @Override
          public void error(HookContext<Object> ctx, Exception e, Map<String, Object> h) {
            calls.add("error " + ctx.getFlagKey() + " " + e.getClass().getSimpleName());
          }

          @Override
          public void finallyAfter(
              HookContext<Object> ctx, FlagEvaluationDetails<Object> d, Map<String, Object> h) {
            calls.add("finally " + ctx.getFlagKey());
          }
        };
    client.addHooks(recording);

    boolean vip = client.getBooleanValue("vip", false);
    client.getBooleanValue("no-such-flag", false);

    assertThat(vip).isTrue();
    assertThat(calls)
        .containsExactly(
            "before vip",
            "after vip=true",
            "finally vip",
            "before no-such-flag",
            "error no-such-flag FlagNotFoundError",
            "finally no-such-flag");
  }

  @Test
  void aContextThatThrows_isAnErrorResult_neverAnException() {
    EvaluationContext hostile =
        new MutableContext("user-1") {
          @Override
          public Value getValue(String key) {
            if (TARGETING_KEY.equals(key)) {
              return new Value("user-1"); // the SDK reads it itself, outside its error handling
            }
            throw new IllegalStateException("context backend down");
          }
        };

    ProviderEvaluation<Boolean> direct =
        provider.getBooleanEvaluation("new-checkout", false, hostile);

    assertThat(direct.getValue()).isFalse();
    assertThat(direct.getErrorCode()).isEqualTo(ErrorCode.GENERAL);
    assertThat(direct.getReason()).isEqualTo(Reason.ERROR.name());
    assertThat(direct.getErrorMessage()).contains("new-checkout", "context backend down");
    assertThatCode(() -> client.getBooleanValue("new-checkout", false, hostile))
        .doesNotThrowAnyException();
    FlagEvaluationDetails<Boolean> viaClient =
        client.getBooleanDetails("new-checkout", false, hostile);
    assertThat(viaClient.getValue()).isFalse();
    assertThat(viaClient.getErrorCode()).isEqualTo(ErrorCode.GENERAL);
  }

  @Test
  void providerCalledDirectly_acceptsNullContextAndNullDefaults() {
    ProviderEvaluation<Boolean> withNullContext =
        provider.getBooleanEvaluation("new-checkout", false, null);
    ProviderEvaluation<String> nullDefault = provider.getStringEvaluation("no-such", null, null);
    ProviderEvaluation<Value> nullObjectDefault =
        provider.getObjectEvaluation("max-items", null, ImmutableContext.EMPTY);

    assertThat(withNullContext.getValue()).isTrue();
    assertThat(nullDefault.getValue()).isNull();
    assertThat(nullDefault.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    assertThat(nullObjectDefault.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(nullObjectDefault.getValue()).isNull();
  }

  @Test
  void providerCalledDirectly_readsImmutableAndMutableContextsAlike() {
    MutableContext mutable = new MutableContext("user-vip");
    mutable.add("account", new MutableStructure().add("plan", "premium"));
    ImmutableContext immutable =
        new ImmutableContext(
            "user-vip",
            Map.of(
                "account",
                new Value(new ImmutableStructure(Map.of("plan", new Value("premium"))))));

    for (EvaluationContext ctx : List.of(mutable, immutable)) {
      assertThat(provider.getBooleanEvaluation("vip", false, ctx).getValue()).isTrue();
      assertThat(provider.getStringEvaluation("theme", "none", ctx).getValue()).isEqualTo("gold");
    }
  }

  @Test
  void overrides_setOnTheEngine_areServedWithReasonOverride_andTypeChecked() {
    provider.dynamicConfig().setOverride("theme", "neon");

    FlagEvaluationDetails<String> asString = client.getStringDetails("theme", "none");
    FlagEvaluationDetails<Integer> asInteger = client.getIntegerDetails("theme", 1);

    assertThat(asString.getValue()).isEqualTo("neon");
    assertThat(asString.getReason()).isEqualTo("OVERRIDE");
    assertThat(asInteger.getValue()).isEqualTo(1);
    assertThat(asInteger.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(asInteger.getErrorMessage()).contains("theme", "\"neon\"");
  }
}
