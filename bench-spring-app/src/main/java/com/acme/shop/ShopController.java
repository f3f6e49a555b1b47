package com.acme.shop;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** GET /quote: a price and the settings that made it, from the annotated {@link Pricing}. */
@RestController
public class ShopController {
  private final Pricing pricing;

  public ShopController(Pricing pricing) {
    this.pricing = pricing;
  }

  @GetMapping("/quote")
  public String quote(@RequestParam(defaultValue = "100") long base) {
    StringBuilder trail = new StringBuilder();
    pricing.audit(trail, "quote");
    return "price="
        + pricing.price(base)
        + " layout="
        + pricing.layout()
        + " currencies="
        + pricing.currencies()
        + " rounding="
        + pricing.rounding()
        + " limits="
        + pricing.limits()
        + " timeout="
        + pricing.timeout()
        + " "
        + trail;
  }
}
