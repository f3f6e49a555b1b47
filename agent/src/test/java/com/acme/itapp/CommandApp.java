package com.acme.itapp;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.slf4j.MDC;

/**
 * A legacy app driven line by line over stdin, so a test knows exactly how often each rewritten
 * method ran. It prints {@code first price=<new|legacy>} from the very first call in {@code main},
 * then answers:
 *
 * <ul>
 *   <li>{@code price} → {@code price=new} or {@code price=legacy} ({@code @Toggle new-pricing});
 *   <li>{@code steps <user>} → {@code steps <user>=<3|2|1>} ({@code @Variant}, userId in the MDC);
 *   <li>{@code quit} → {@code bye}, and main returns.
 * </ul>
 */
public final class CommandApp {
  private CommandApp() {}

  public static void main(String[] args) throws Exception {
    Checkout checkout = new Checkout();
    System.out.println("first price=" + checkout.price());
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] cmd = line.trim().split(" ");
      switch (cmd[0]) {
        case "price" -> System.out.println("price=" + checkout.price());
        case "steps" -> {
          MDC.put("userId", cmd[1]);
          try {
            System.out.println("steps " + cmd[1] + "=" + checkout.steps());
          } finally {
            MDC.remove("userId");
          }
        }
        case "quit" -> {
          System.out.println("bye");
          return;
        }
        default -> System.out.println("unknown command " + line);
      }
      System.out.flush();
    }
  }
}
