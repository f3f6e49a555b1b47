package com.acme.itapp;

/**
 * Calls rewritten methods as early as an application can: in its main class's static initializer
 * (on the main thread, while the class is being initialized) and again as main's first statement,
 * then prints {@code early static price=... timeout=...} and {@code early main price=...}. With an
 * argument {@code ticks}, keeps printing {@code tick price=...} every 50 ms until stdin closes.
 */
public final class EarlyApp {
  private static final String STATIC = describe(new Checkout());

  private EarlyApp() {}

  public static void main(String[] args) throws Exception {
    String first = describe(new Checkout());
    System.out.println("early static " + STATIC);
    System.out.println("early main " + first);
    System.out.flush();
    if (args.length > 0 && args[0].equals("ticks")) {
      Checkout checkout = new Checkout();
      for (int i = 0; i < 1200; i++) {
        System.out.println("tick " + describe(checkout));
        System.out.flush();
        Thread.sleep(50);
      }
    }
  }

  private static String describe(Checkout checkout) {
    return "price=" + checkout.price() + " timeout=" + checkout.timeoutMs();
  }
}
