package com.acme.shop;

import com.sun.net.httpserver.HttpServer;
import dev.dynconfig.api.DynamicContext;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * A small legacy-style shop. Every second it prints what a few sample users get; run it under the
 * dynconfig agent and edit {@code demo/flags.json} to watch the answers change. Without the agent
 * the annotations do nothing and every method runs its own body.
 *
 * <p>Arguments: {@code --port N} also serves {@code GET /checkout?user=alice} on localhost; {@code
 * --ticks N} stops after N ticks (default: run until Ctrl-C).
 */
public final class ShopDemo {
  private static final List<String[]> USERS =
      List.of(
          new String[] {"alice", "admin"},
          new String[] {"bob", "user"},
          new String[] {"carol", "user"},
          new String[] {"dave", "viewer"},
          new String[] {"erin", "user"});
  private static final BigDecimal LIST_PRICE = new BigDecimal("100");

  private final PricingService pricing = new PricingService();
  private final CheckoutService checkout = new CheckoutService();
  private final Settings settings = new Settings();

  private ShopDemo() {}

  public static void main(String[] args) throws Exception {
    int port = -1;
    long ticks = Long.MAX_VALUE;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--ticks" -> ticks = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    ShopDemo demo = new ShopDemo();
    if (port >= 0) {
      demo.serve(port);
    }
    System.out.println(
        "dynconfig demo: edit demo/flags.json (new-pricing, audit-log, checkout-experiment,"
            + " config) and watch the lines change. Ctrl-C to stop.");
    for (long t = 0; t < ticks; t++) {
      System.out.println(demo.report());
      Thread.sleep(1000);
    }
  }

  /** One block: settings, then one line per sample user, evaluated in that user's context. */
  String report() {
    StringBuilder sb = new StringBuilder();
    sb.append(LocalTime.now().truncatedTo(ChronoUnit.SECONDS))
        .append("  checkout timeout ")
        .append(settings.checkoutTimeoutMs())
        .append(" ms, theme ")
        .append(settings.theme())
        .append(", audit lines ")
        .append(pricing.auditedCount())
        .append('\n');
    for (String[] user : USERS) {
      sb.append(
              DynamicContext.withContext(
                  Map.of("userId", user[0], "userRole", user[1]), () -> line(user)))
          .append('\n');
    }
    return sb.toString();
  }

  private String line(String[] user) {
    BigDecimal price = pricing.price(LIST_PRICE);
    pricing.audit(user[0], price);
    return String.format(
        "  %-6s %-9s price %7s   checkout %s",
        user[0], "(" + user[1] + ")", price, checkout.checkoutFlow(user[0]));
  }

  private void serve(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext(
        "/checkout",
        exchange -> {
          String query = exchange.getRequestURI().getQuery();
          String user = query != null && query.startsWith("user=") ? query.substring(5) : "guest";
          String body =
              DynamicContext.withContext(
                      Map.of("userId", user),
                      () ->
                          "{\"user\": \""
                              + user
                              + "\", \"price\": "
                              + pricing.price(LIST_PRICE)
                              + ", \"checkout\": \""
                              + checkout.checkoutFlow(user)
                              + "\"}")
                  + "\n";
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    System.out.println(
        "serving http://127.0.0.1:" + server.getAddress().getPort() + "/checkout?user=alice");
  }
}
