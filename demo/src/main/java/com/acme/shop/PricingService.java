package com.acme.shop;

import dev.dynconfig.api.Toggle;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.concurrent.atomic.AtomicInteger;

/** Legacy pricing: the new engine is behind a flag, the old one stays as the fallback. */
public class PricingService {
  private final AtomicInteger audited = new AtomicInteger();

  /** New pricing: 10% off for everybody in the rollout. */
  @Toggle(flag = "new-pricing", otherwise = "legacyPrice")
  public BigDecimal price(BigDecimal listPrice) {
    return listPrice.multiply(new BigDecimal("0.90")).setScale(2, RoundingMode.HALF_UP);
  }

  /** The old code path, untouched. */
  public BigDecimal legacyPrice(BigDecimal listPrice) {
    return listPrice.setScale(2, RoundingMode.HALF_UP);
  }

  /** Runs only while the flag {@code audit-log} is on. */
  @Toggle(flag = "audit-log")
  public void audit(String user, BigDecimal price) {
    audited.incrementAndGet();
  }

  /** How many audit lines were written so far. */
  public int auditedCount() {
    return audited.get();
  }
}
