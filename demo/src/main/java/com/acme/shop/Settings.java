package com.acme.shop;

import dev.dynconfig.api.ConfigValue;

/** Runtime settings: each body is the default used while the flag file does not set the value. */
public class Settings {

  @ConfigValue(namespace = "checkout", key = "timeoutMs")
  public long checkoutTimeoutMs() {
    return 1000;
  }

  @ConfigValue(namespace = "ui", key = "theme")
  public String theme() {
    return "light";
  }
}
