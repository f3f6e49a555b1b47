package dev.dynconfig.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.BucketingVersion;
import dev.dynconfig.Fallback;
import dev.dynconfig.SourceKind;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

  private static AgentOptions resolve(
      String args, Map<String, String> properties, Map<String, String> env) {
    return AgentOptions.resolve(args, properties::get, env);
  }

  @Test
  void bucketingOption_choosesTheVersion_forDocumentsThatDoNotChooseOne() {
    assertThat(resolve("bucketing=v1", Map.of(), Map.of()).engineOptions().bucketing())
        .isEqualTo(BucketingVersion.V1);
    assertThat(resolve("", Map.of(), Map.of()).engineOptions().bucketing())
        .isEqualTo(BucketingVersion.V2);
    AgentOptions bad = resolve("bucketing=v9", Map.of(), Map.of());
    assertThat(bad.problems()).anySatisfy(p -> assertThat(p).contains("bucketing").contains("v9"));
    assertThat(bad.engineOptions().bucketing()).isEqualTo(BucketingVersion.V2);
  }

  @Test
  void agentArguments_mapOntoEngineOptions() {
    AgentOptions o =
        resolve(
            "file=flags.json,env=staging,pollingInterval=30s,retry.maxAttempts=5,"
                + "retry.baseDelay=200ms,retry.maxDelay=1m,fallback=default,initTimeout=0,"
                + "cacheDuration=PT10M,jmx=true,logLevel=debug",
            Map.of(),
            Map.of());
    assertThat(o.problems()).isEmpty();
    assertThat(o.engineOptions().file()).isEqualTo(Path.of("flags.json"));
    assertThat(o.engineOptions().source()).isEqualTo(SourceKind.FILE);
    assertThat(o.engineOptions().environment()).isEqualTo("staging");
    assertThat(o.engineOptions().pollingInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.engineOptions().retry().maxAttempts()).isEqualTo(5);
    assertThat(o.engineOptions().retry().baseDelay()).isEqualTo(Duration.ofMillis(200));
    assertThat(o.engineOptions().retry().maxDelay()).isEqualTo(Duration.ofMinutes(1));
    assertThat(o.engineOptions().fallback()).isEqualTo(Fallback.DEFAULT);
    assertThat(o.engineOptions().initTimeout()).isZero();
    assertThat(o.engineOptions().cacheDuration()).isEqualTo(Duration.ofMinutes(10));
    assertThat(o.engineOptions().registerJmx()).isTrue();
    assertThat(o.logLevel()).isEqualTo("debug");
  }

  @Test
  void jmx_isOnByDefault_andRegistersLate_unlessTold() {
    AgentOptions defaults = resolve("file=flags.json", Map.of(), Map.of());
    assertThat(defaults.engineOptions().registerJmx()).isTrue();
    assertThat(defaults.engineOptions().jmxRegistrationDelay())
        .isEqualTo(AgentOptions.DEFAULT_JMX_DELAY)
        .isPositive();

    AgentOptions told = resolve("jmx=false,jmxDelay=500ms", Map.of(), Map.of());
    assertThat(told.problems()).isEmpty();
    assertThat(told.engineOptions().registerJmx()).isFalse();
    assertThat(told.engineOptions().jmxRegistrationDelay()).isEqualTo(Duration.ofMillis(500));

    AgentOptions bad = resolve("jmxDelay=soon", Map.of(), Map.of());
    assertThat(bad.problems()).anyMatch(p -> p.contains("'jmxDelay' = 'soon'"));
    assertThat(bad.engineOptions().jmxRegistrationDelay())
        .isEqualTo(AgentOptions.DEFAULT_JMX_DELAY);
  }

  @Test
  void networkOptions_mapOntoEngineOptions() {
    AgentOptions o =
        resolve(
            "source=remote,url=http://127.0.0.1:9/v1/flags,token=r,enableWebSocket=false,"
                + "cacheFile=/tmp/c.json,fallback=cache",
            Map.of(),
            Map.of());
    assertThat(o.problems()).isEmpty();
    assertThat(o.engineOptions().source()).isEqualTo(SourceKind.REMOTE);
    assertThat(o.engineOptions().url()).isEqualTo(URI.create("http://127.0.0.1:9/v1/flags"));
    assertThat(o.engineOptions().token()).isEqualTo("r");
    assertThat(o.engineOptions().enableWebSocket()).isFalse();
    assertThat(o.engineOptions().cacheFile()).isEqualTo(Path.of("/tmp/c.json"));
    assertThat(o.engineOptions().fallback()).isEqualTo(Fallback.CACHE);
  }

  @Test
  void precedence_isSystemProperty_thenEnvironment_thenAgentArgument() {
    AgentOptions o =
        resolve(
            "env=from-arg,logLevel=warn,fallback=throw",
            Map.of("dynconfig.env", "from-property"),
            Map.of("DYNCONFIG_ENV", "from-env", "DYNCONFIG_LOG_LEVEL", "error"));
    assertThat(o.engineOptions().environment()).isEqualTo("from-property");
    assertThat(o.logLevel()).isEqualTo("error");
    assertThat(o.engineOptions().fallback()).isEqualTo(Fallback.THROW);
  }

  @Test
  void environmentVariableNames_acceptBothCamelCaseForms() {
    assertThat(AgentOptions.envName("retry.maxAttempts", true))
        .isEqualTo("DYNCONFIG_RETRY_MAX_ATTEMPTS");
    AgentOptions o = resolve(null, Map.of(), Map.of("DYNCONFIG_RETRY_MAXATTEMPTS", "7"));
    assertThat(o.engineOptions().retry().maxAttempts()).isEqualTo(7);
  }

  @Test
  void urlAlone_meansWebSocket_unlessSwitchedOff() {
    assertThat(resolve("url=ws://h:8080/v1/stream", Map.of(), Map.of()).engineOptions().source())
        .isEqualTo(SourceKind.WEBSOCKET);
    AgentOptions polling =
        resolve("url=http://h:8080/v1/flags,enableWebSocket=false", Map.of(), Map.of());
    assertThat(polling.engineOptions().source()).isEqualTo(SourceKind.REMOTE);
    assertThat(polling.engineOptions().url()).isEqualTo(URI.create("http://h:8080/v1/flags"));
  }

  @Test
  void url_withSeveralServers_keepsThemInOrder_andRefusesMixedSchemes() {
    AgentOptions o = resolve("url=ws://a:8080/v1/stream|ws://b:8080/v1/stream", Map.of(), Map.of());
    assertThat(o.problems()).isEmpty();
    assertThat(o.engineOptions().urls())
        .containsExactly(URI.create("ws://a:8080/v1/stream"), URI.create("ws://b:8080/v1/stream"));
    assertThat(o.engineOptions().url()).isEqualTo(URI.create("ws://a:8080/v1/stream"));
    AgentOptions mixed =
        resolve("url=ws://a:8080/v1/stream|http://b:8080/v1/flags", Map.of(), Map.of());
    assertThat(mixed.problems()).anyMatch(p -> p.contains("same scheme"));
  }

  @Test
  void mdcMapping_andAttributeList() {
    AgentOptions o =
        resolve("mdc.userId=uid,mdc.attributes=plan|tenant;region", Map.of(), Map.of());
    assertThat(o.mdcUserId()).isEqualTo("uid");
    assertThat(o.mdcSessionId()).isEqualTo("sessionId");
    assertThat(o.mdcAttributes()).containsExactly("plan", "tenant", "region");
  }

  @Test
  void unknownKeysAndBadValues_areReported_andDefaultsKept() {
    AgentOptions o =
        resolve(
            "nonsense,colour=blue,pollingInterval=0,retry.maxAttempts=-1,jmx=maybe,source=ftp",
            Map.of(),
            Map.of());
    assertThat(o.problems()).hasSize(6);
    assertThat(String.join("\n", o.problems()))
        .contains("'nonsense' is not key=value")
        .contains("unknown agent option 'colour'")
        .contains("'pollingInterval' = '0' (from agent argument)")
        .contains("'retry.maxAttempts' = '-1'")
        .contains("'jmx' = 'maybe'")
        .contains("'source' = 'ftp'");
    assertThat(o.engineOptions().pollingInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.engineOptions().source()).isEqualTo(SourceKind.NONE);
  }

  @Test
  void sourceFileWithoutFile_isReported_andStartsWithNoSource() {
    AgentOptions o = resolve("source=file", Map.of(), Map.of());
    assertThat(o.problems()).singleElement().asString().contains("needs a file");
    assertThat(o.engineOptions().source()).isEqualTo(SourceKind.NONE);
  }

  @Test
  void keysList_coversEveryDocumentedKey() {
    assertThat(AgentOptions.KEYS).contains("file", "url", "token", "mdc.attributes", "jmx");
    assertThat(List.copyOf(AgentOptions.KEYS)).doesNotHaveDuplicates();
  }
}
