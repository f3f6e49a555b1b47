package com.acme.itapp;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.slf4j.MDC;

/**
 * An app driven line by line over stdin (so a test knows exactly how often each rewritten method
 * ran) for the fleet-insight tests. Prints {@code ready} once started, then answers:
 *
 * <ul>
 *   <li>{@code price} → {@code price=…} ({@code @Toggle new-pricing} of {@link Checkout});
 *   <li>{@code steps <user>} → {@code steps <user>=…} ({@code @Variant checkout-experiment}); user
 *       {@code -} puts no user id into the MDC;
 *   <li>{@code feature <user>} → {@code feature <user>=…} ({@code @Toggle gradual}, a rollout);
 *   <li>{@code typos} → {@code typos=<price>,<steps>,<timeout>} (the mistyped keys of {@link
 *       Typos});
 *   <li>{@code quit} → {@code bye}, and main returns.
 * </ul>
 */
public final class FleetApp {
  private FleetApp() {}

  public static void main(String[] args) throws Exception {
    Checkout checkout = new Checkout();
    Typos typos = new Typos();
    Rollouts rollouts = new Rollouts();
    System.out.println("ready");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] cmd = line.trim().split(" ");
      switch (cmd[0]) {
        case "price" -> System.out.println("price=" + checkout.price());
        case "steps" ->
            System.out.println(asUser(cmd[1], () -> "steps " + cmd[1] + "=" + checkout.steps()));
        case "feature" ->
            System.out.println(
                asUser(cmd[1], () -> "feature " + cmd[1] + "=" + rollouts.feature()));
        case "typos" ->
            System.out.println(
                "typos=" + typos.price() + "," + typos.steps() + "," + typos.timeoutMs());
        case "quit" -> {
          System.out.println("bye");
          return;
        }
        default -> System.out.println("unknown command " + line);
      }
      System.out.flush();
    }
  }

  private static String asUser(String user, java.util.function.Supplier<String> call) {
    if (user.equals("-")) {
      return call.get();
    }
    MDC.put("userId", user);
    try {
      return call.get();
    } finally {
      MDC.remove("userId");
    }
  }
}
