package dev.dynconfig.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.DynamicConfigOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dynconfig's native format through OpenFeature: the well-known attributes {@code userRole} and
 * {@code environment} reach the engine's minimum role and environments, a rollout is {@code SPLIT}.
 */
class NativeDocumentTest {
  static final String NATIVE =
      """
      {
        "version": 4,
        "roles": ["viewer", "user", "admin"],
        "flags": [
          {"key": "everyone", "defaultValue": false, "rolloutPercentage": 100, "variant": "v2"},
          {"key": "admins", "defaultValue": false, "minRole": "admin", "rolloutPercentage": 100},
          {"key": "staging-only", "defaultValue": false, "environments": ["staging"],
           "rolloutPercentage": 100},
          {"key": "old", "defaultValue": false, "expiresAt": "2020-01-01T00:00:00Z",
           "rolloutPercentage": 100}
        ]
      }
      """;

  @TempDir Path dir;

  private final OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
  private Client client;

  @BeforeEach
  void start() {
    Path file = FlagFiles.writeAtomically(dir.resolve("flags.json"), NATIVE);
    api.setProviderAndWait(
        new DynconfigProvider(
            DynamicConfigOptions.builder().file(file).environment("production").build()));
    client = api.getClient();
  }

  @AfterEach
  void stop() {
    api.shutdown();
  }

  @Test
  void aRollout_isReasonSplit_withTheFlagsVariant() {
    FlagEvaluationDetails<Boolean> d =
        client.getBooleanDetails("everyone", false, new ImmutableContext("user-1"));

    assertThat(d.getValue()).isTrue();
    assertThat(d.getReason()).isEqualTo(Reason.SPLIT.name());
    assertThat(d.getVariant()).isEqualTo("v2");
  }

  @Test
  void userRoleAttribute_isTheMinimumRolesInput() {
    ImmutableContext admin = new ImmutableContext("u-1", Map.of("userRole", new Value("admin")));
    ImmutableContext viewer = new ImmutableContext("u-2", Map.of("userRole", new Value("viewer")));

    assertThat(client.getBooleanValue("admins", false, admin)).isTrue();
    assertThat(client.getBooleanValue("admins", true, viewer)).isFalse();
  }

  @Test
  void environmentAttribute_overridesTheEnginesEnvironment() {
    ImmutableContext staging =
        new ImmutableContext("u-1", Map.of("environment", new Value("staging")));

    assertThat(client.getBooleanValue("staging-only", false, staging)).isTrue();
    assertThat(client.getBooleanValue("staging-only", true, new ImmutableContext("u-1"))).isFalse();
  }

  @Test
  void anExpiredFlag_keepsDynconfigsReasonName() {
    FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("old", true);

    assertThat(d.getValue()).isFalse();
    assertThat(d.getReason()).isEqualTo("EXPIRED");
    assertThat(d.getErrorCode()).isNull();
  }
}
