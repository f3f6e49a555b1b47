package com.acme.shop;

import dev.dynconfig.api.ConfigValue;
import dev.dynconfig.api.Toggle;
import dev.dynconfig.api.Variant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The annotated methods the controller calls while serving; their bodies are the code defaults,
 * which the benchmark's flag file changes (so a response tells whether the agent is active).
 */
@Component
public class Pricing {
  public enum Rounding {
    NONE,
    CENTS,
    WHOLE
  }

  @Toggle(flag = "new-pricing", otherwise = "legacyPrice")
  public long price(long base) {
    return base * 9 / 10;
  }

  public long legacyPrice(long base) {
    return base;
  }

  @Toggle(flag = "audit-log")
  public void audit(StringBuilder trail, String what) {
    trail.append("audited:").append(what).append(';');
  }

  @Variant(test = "checkout-layout")
  public String layout() {
    return "classic";
  }

  @Variant(test = "checkout-layout", id = "compact")
  public String compactLayout() {
    return "compact";
  }

  @ConfigValue(namespace = "shop", key = "currencies")
  public List<String> currencies() {
    return List.of("EUR");
  }

  @ConfigValue(namespace = "shop", key = "rounding")
  public Rounding rounding() {
    return Rounding.NONE;
  }

  @ConfigValue(namespace = "shop", key = "limits")
  public Map<String, Integer> limits() {
    return Map.of("items", 10);
  }

  @ConfigValue(namespace = "shop", key = "timeout")
  public Duration timeout() {
    return Duration.ofSeconds(1);
  }
}
