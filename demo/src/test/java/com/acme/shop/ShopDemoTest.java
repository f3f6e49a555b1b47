package com.acme.shop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Without the agent the annotations do nothing: every method runs its own body. */
class ShopDemoTest {

  @Test
  void withoutAgent_everyMethodRunsItsOwnBody() throws Exception {
    var constructor = ShopDemo.class.getDeclaredConstructor();
    constructor.setAccessible(true);
    String report = constructor.newInstance().report();
    assertThat(report).contains("checkout timeout 1000 ms, theme light");
    assertThat(report).contains("alice").contains("price   90.00").contains("3 steps (original)");
  }
}
