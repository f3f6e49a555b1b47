package dev.dynconfig;

import static dev.dynconfig.Docs.load;
import static dev.dynconfig.Docs.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link FlagEvaluation#metadata()}: what a caller learns about the flag with every result. */
class FlagMetadataTest {
  static final String FLAGD =
      q(
          """
          {'metadata': {'flagSetId': 'shop', 'version': 3, 'owner': 'platform', 'beta': false},
           'flags': {
             'color': {'state': 'ENABLED', 'variants': {'red': 'r', 'blue': 'b'},
                       'defaultVariant': 'blue',
                       'metadata': {'owner': 'web', 'ratio': 0.25, 'beta': true},
                       'targeting': {'if': [{'==': [{'var': 'tier'}, 'gold']}, 'red',
                                            {'==': [{'var': 'tier'}, 'bad']}, 'nope', null]}},
             'plain': {'state': 'ENABLED', 'variants': {'on': true}, 'defaultVariant': 'on'},
             'off': {'state': 'DISABLED', 'variants': {'on': true}, 'defaultVariant': 'on',
                     'metadata': {'team': 'ops'}}
           }}
          """);

  static final Map<String, Object> COLOR_METADATA =
      Map.of("flagSetId", "shop", "version", 3L, "owner", "web", "beta", true, "ratio", 0.25);

  final DynamicConfig config = DynamicConfig.create(DynamicConfigOptions.builder().build());

  static EvaluationContext tier(String tier) {
    return EvaluationContext.builder().userId("u1").attribute("tier", tier).build();
  }

  @Test
  void flagd_mergesFlagSetAndFlagMetadata_flagKeysWin_valuesKeepTheirTypes() {
    load(config, FLAGD);
    FlagEvaluation r = config.evaluateFlag("color", tier("gold"), "x");
    assertThat(r.value()).isEqualTo("r");
    assertThat(r.metadata()).isEqualTo(COLOR_METADATA);
    assertThat(r.metadata().get("version")).isInstanceOf(Long.class);
    assertThat(r.metadata().get("ratio")).isInstanceOf(Double.class);
    assertThat(r.metadata().get("beta")).isInstanceOf(Boolean.class);
    assertThat(config.evaluateFlag("color", tier("iron"), "x").metadata())
        .isEqualTo(COLOR_METADATA);
  }

  @Test
  void flagd_flagWithoutOwnMetadata_carriesTheFlagSetMetadata() {
    load(config, FLAGD);
    assertThat(config.evaluateFlag("plain", tier("gold"), false).metadata())
        .isEqualTo(Map.of("flagSetId", "shop", "version", 3L, "owner", "platform", "beta", false));
  }

  @Test
  void flagd_errorsOfAnExistingFlag_carryItsMetadata() {
    load(config, FLAGD);
    FlagEvaluation unknownVariant = config.evaluateFlag("color", tier("bad"), "x");
    assertThat(unknownVariant.errorCode()).isEqualTo(ErrorCode.GENERAL);
    assertThat(unknownVariant.metadata()).isEqualTo(COLOR_METADATA);
    FlagEvaluation mismatch = config.evaluateFlag("color", tier("gold"), 42);
    assertThat(mismatch.errorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(mismatch.metadata()).isEqualTo(COLOR_METADATA);
    FlagEvaluation disabled = config.evaluateFlag("off", tier("gold"), false);
    assertThat(disabled.reason()).isEqualTo(Reason.DISABLED);
    assertThat(disabled.metadata()).containsEntry("team", "ops").containsEntry("flagSetId", "shop");
  }

  @Test
  void unknownFlag_hasEmptyMetadata_neverNull() {
    load(config, FLAGD);
    assertThat(config.evaluateFlag("missing", tier("gold"), "x").metadata()).isEmpty();
    assertThat(config.evaluateFlag("missing", tier("gold"), null).metadata()).isEmpty();
  }

  @Test
  void native_flagCarriesItsOwnMetadata_orNone() {
    load(
        config,
        q(
            """
            {'metadata': {'ignored': 'native flags do not inherit'},
             'flags': [{'key': 'a', 'defaultValue': true, 'metadata': {'owner': 'web', 'n': 2}},
                       {'key': 'b', 'rolloutPercentage': 100}]}
            """));
    assertThat(config.evaluateFlag("a", tier("gold")).metadata())
        .isEqualTo(Map.of("owner", "web", "n", 2L));
    assertThat(config.evaluateFlag("b", tier("gold")).metadata()).isEmpty();
  }

  @Test
  void override_carriesTheFlagsMetadata() {
    load(config, FLAGD);
    config.setOverride("color", "red-ish");
    FlagEvaluation r = config.evaluateFlag("color", tier("iron"), "x");
    assertThat(r.reason()).isEqualTo(Reason.OVERRIDE);
    assertThat(r.metadata()).isEqualTo(COLOR_METADATA);
  }

  @Test
  void metadata_isImmutable() {
    load(config, FLAGD);
    Map<String, Object> m = config.evaluateFlag("color", tier("gold"), "x").metadata();
    assertThatThrownBy(() -> m.put("owner", "me"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(new FlagEvaluation(true, Reason.STATIC, null, null, null).metadata()).isEmpty();
  }
}
