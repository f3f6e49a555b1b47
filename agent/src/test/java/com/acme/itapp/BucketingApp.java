package com.acme.itapp;

import dev.dynconfig.api.DynamicContext;
import dev.dynconfig.api.Toggle;
import dev.dynconfig.api.Variant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Prints, for {@code args[0]} users and four ways of naming them (A: scope with targetingKey and
 * userId; B: scope with userId and sessionId; C: scope with sessionId, userId in the MDC; D: MDC
 * only), what every flag shape answers: {@code A 3 static=on rollout=off rule=on variant=a}.
 */
public final class BucketingApp {
  private BucketingApp() {}

  @Toggle(flag = "bk-static", otherwise = "off")
  static String fixed() {
    return "on";
  }

  @Toggle(flag = "bk-rollout", otherwise = "off")
  static String rollout() {
    return "on";
  }

  @Toggle(flag = "bk-rule", otherwise = "off")
  static String rule() {
    return "on";
  }

  static String off() {
    return "off";
  }

  @Variant(test = "bk-test")
  static String variant() {
    return "control";
  }

  @Variant(test = "bk-test", id = "variant-a")
  static String variantA() {
    return "variant-a";
  }

  public static void main(String[] args) {
    int users = Integer.parseInt(args[0]);
    for (int i = 0; i < users; i++) {
      MDC.put("userId", "m-" + i);
      try {
        print("A", i, Map.of("targetingKey", "t-" + i, "userId", "u-" + i, "plan", "premium"));
        print("B", i, Map.of("userId", "u-" + i, "sessionId", "s-" + i, "plan", "premium"));
        print("C", i, Map.of("sessionId", "s-" + i, "plan", "premium"));
        print("D", i, null);
      } finally {
        MDC.remove("userId");
      }
    }
    System.out.println("done");
  }

  private static void print(String how, int i, Map<String, Object> scope) {
    Map<String, Object> attributes = scope == null ? new HashMap<>() : scope;
    String answers =
        DynamicContext.withContext(
            attributes,
            () ->
                "static="
                    + fixed()
                    + " rollout="
                    + rollout()
                    + " rule="
                    + rule()
                    + " variant="
                    + variant());
    System.out.println(how + " " + i + " " + answers);
  }
}
