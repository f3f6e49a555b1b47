package com.acme.leakapp;

import dev.dynconfig.api.ConfigValue;
import dev.dynconfig.api.DynamicContext;
import dev.dynconfig.api.Toggle;
import dev.dynconfig.api.Variant;
import java.util.Map;
import org.slf4j.MDC;

/**
 * An application class loaded by a class loader of its own (a web application's, or a plain {@code
 * URLClassLoader}) and dropped again: every kind of site, read through the application's own MDC
 * and a {@code DynamicContext} scope that holds one of its own objects.
 */
public class Shop {
  @Toggle(flag = "leak-rollout", otherwise = "rolloutOff")
  public String rollout() {
    return "on";
  }

  String rolloutOff() {
    return "off";
  }

  @Toggle(flag = "leak-targeted", otherwise = "targetedOff")
  public String targeted() {
    return "on";
  }

  String targetedOff() {
    return "off";
  }

  @Variant(test = "leak-test")
  public String variant() {
    return "control";
  }

  @Variant(test = "leak-test", id = "variant-a")
  public String variantA() {
    return "a";
  }

  @ConfigValue(namespace = "leak", key = "theme")
  public Theme theme() {
    return Theme.LIGHT;
  }

  @ConfigValue(namespace = "leak", key = "limit")
  public int limit() {
    return 1;
  }

  @ConfigValue(namespace = "leak", key = "limits")
  public Limits limits() {
    return new Limits(1, "items");
  }

  /** {@code rollout=on targeted=on variant=a theme=DARK limit=7 limits=9 carts} under the IT. */
  public static String exercise(String user) {
    MDC.put("userId", user);
    try {
      return DynamicContext.withContext(
          Map.of("plan", "premium", "theme", Theme.DARK),
          () -> {
            Shop shop = new Shop();
            return "rollout="
                + shop.rollout()
                + " targeted="
                + shop.targeted()
                + " variant="
                + shop.variant()
                + " theme="
                + shop.theme()
                + " limit="
                + shop.limit()
                + " limits="
                + shop.limits().max()
                + " "
                + shop.limits().unit();
          });
    } finally {
      MDC.remove("userId");
    }
  }
}
