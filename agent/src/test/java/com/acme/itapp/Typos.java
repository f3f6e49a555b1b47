package com.acme.itapp;

import dev.dynconfig.api.ConfigValue;
import dev.dynconfig.api.Toggle;
import dev.dynconfig.api.Variant;

/**
 * Annotations with mistyped keys (the document has new-pricing, checkout-experiment, timeoutMs).
 */
public class Typos {
  @Toggle(flag = "new-pricnig", otherwise = "legacyPrice")
  public String price() {
    return "new";
  }

  public String legacyPrice() {
    return "legacy";
  }

  @Variant(test = "checkout-experimnet")
  public int steps() {
    return 3;
  }

  @Variant(test = "checkout-experimnet", id = "variant-a")
  public int stepsOptimized() {
    return 2;
  }

  @ConfigValue(namespace = "checkout", key = "timeoutMS")
  public long timeoutMs() {
    return 1000;
  }
}
