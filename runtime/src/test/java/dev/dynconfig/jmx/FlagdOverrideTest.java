package dev.dynconfig.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.EvaluationContext;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The writable Override of typed flagd flags takes JSON of the flag's variant type. */
class FlagdOverrideTest {
  final MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
  DynamicConfig config;
  JmxRegistration jmx;

  @BeforeEach
  void start() {
    config = DynamicConfig.create(DynamicConfigOptions.builder().build());
    String doc =
        """
        {"flags": {
          "color": {"state": "ENABLED", "variants": {"red": "#f00", "blue": "#00f"},
                    "defaultVariant": "red"},
          "limit": {"state": "ENABLED", "variants": {"low": 1, "high": 100},
                    "defaultVariant": "low"}
        }}
        """;
    config.sink().offer(doc.getBytes(StandardCharsets.UTF_8), -1, "flagd.json");
    jmx = JmxRegistration.register(config.introspection(), mbs);
  }

  @AfterEach
  void stop() {
    jmx.close();
  }

  @Test
  void kindAndOverride_followTheVariantType() throws Exception {
    ObjectName color = JmxRegistration.flagName("color");
    assertThat(mbs.getAttribute(color, "Kind")).isEqualTo("flagd:string");

    mbs.setAttribute(color, new Attribute("Override", "\"#0f0\""));
    assertThat(config.evaluateFlag("color", EvaluationContext.empty()).value()).isEqualTo("#0f0");
    assertThat(mbs.getAttribute(color, "Override")).isEqualTo("\"#0f0\"");
    assertThat(mbs.getAttribute(color, "OtherCount")).isEqualTo(1L);

    ObjectName limit = JmxRegistration.flagName("limit");
    mbs.setAttribute(limit, new Attribute("Override", "42"));
    assertThat(config.evaluateFlag("limit", EvaluationContext.empty()).value()).isEqualTo(42L);

    mbs.setAttribute(color, new Attribute("Override", ""));
    assertThat(config.evaluateFlag("color", EvaluationContext.empty()).value()).isEqualTo("#f00");
  }

  @Test
  void overrideOfTheWrongType_isRefused_withTheExpectedType() {
    assertThatThrownBy(
            () ->
                mbs.setAttribute(
                    JmxRegistration.flagName("limit"), new Attribute("Override", "\"many\"")))
        .isInstanceOf(RuntimeMBeanException.class)
        .cause()
        .hasMessageContaining("number");
    assertThatThrownBy(
            () ->
                mbs.setAttribute(
                    JmxRegistration.flagName("color"), new Attribute("Override", "green")))
        .cause()
        .hasMessageContaining("strings in quotes");
    assertThat(config.getOverrides()).isEmpty();
  }
}
