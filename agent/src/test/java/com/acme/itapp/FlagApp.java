package com.acme.itapp;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;

/**
 * Prints, every 50 ms, what the rewritten {@link Checkout} answers, with {@code userId} in the MDC
 * for each sample user: {@code tick price=new timeout=1500 refused=42 u0=2 u1=3 ...}. Arguments:
 * the number of users (default 12) and optionally {@code once} to print one line and return.
 */
public final class FlagApp {
  private FlagApp() {}

  public static void main(String[] args) throws Exception {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 12;
    boolean once = args.length > 1 && args[1].equals("once");
    if (Boolean.getBoolean("itapp.libs")) {
      System.out.println(LibsProbe.describe());
    }
    System.out.println("loader " + FlagApp.class.getClassLoader().getClass().getName());
    Checkout checkout = new Checkout();
    do {
      StringBuilder line = new StringBuilder("tick");
      line.append(" price=").append(checkout.price());
      line.append(" timeout=").append(checkout.timeoutMs());
      line.append(" refused=").append(checkout.refused());
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < users; i++) {
        MDC.put("userId", "user-" + i);
        try {
          parts.add("user-" + i + "=" + checkout.steps());
        } finally {
          MDC.remove("userId");
        }
      }
      line.append(' ').append(String.join(" ", parts));
      System.out.println(line);
      System.out.flush();
      if (!once) {
        Thread.sleep(50);
      }
    } while (!once);
  }
}
