package com.acme.shop;

import dev.dynconfig.api.Variant;

/** The checkout flow, A/B tested: control (3 steps), variant-a (2 steps), variant-b (1 step). */
public class CheckoutService {

  @Variant(test = "checkout-experiment")
  public String checkoutFlow(String user) {
    return "3 steps (original)";
  }

  @Variant(test = "checkout-experiment", id = "variant-a")
  public String optimizedFlow(String user) {
    return "2 steps (optimized)";
  }

  @Variant(test = "checkout-experiment", id = "variant-b")
  public String expressFlow(String user) {
    return "1 step (express)";
  }
}
