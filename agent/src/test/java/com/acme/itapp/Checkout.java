package com.acme.itapp;

import dev.dynconfig.api.ConfigValue;
import dev.dynconfig.api.Toggle;
import dev.dynconfig.api.Variant;

/** The legacy service of the forked-JVM integration tests. */
public class Checkout {
  @Toggle(flag = "new-pricing", otherwise = "legacyPrice")
  public String price() {
    return "new";
  }

  public String legacyPrice() {
    return "legacy";
  }

  @Variant(test = "checkout-experiment")
  public int steps() {
    return 3;
  }

  @Variant(test = "checkout-experiment", id = "variant-a")
  public int stepsOptimized() {
    return 2;
  }

  @Variant(test = "checkout-experiment", id = "variant-b")
  public int stepsExpress() {
    return 1;
  }

  @ConfigValue(namespace = "checkout", key = "timeoutMs")
  public long timeoutMs() {
    return 1000;
  }

  /** Refused by the agent (non-void without otherwise): must keep returning 42. */
  @Toggle(flag = "new-pricing")
  public int refused() {
    return 42;
  }
}
