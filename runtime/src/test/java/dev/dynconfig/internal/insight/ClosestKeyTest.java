package dev.dynconfig.internal.insight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosestKeyTest {
  private static final List<String> KEYS =
      List.of("new-pricing", "new-dashboard", "checkout-experiment", "audit-log");

  @Test
  void typo_suggestsTheKeyAtTheSmallestEditDistance() {
    assertThat(ClosestKey.find("new-pricnig", KEYS)).isEqualTo("new-pricing");
    assertThat(ClosestKey.find("checkout-experimnet", KEYS)).isEqualTo("checkout-experiment");
    assertThat(ClosestKey.find("New-Pricing", KEYS)).isEqualTo("new-pricing");
  }

  @Test
  void unrelatedKey_suggestsNothing() {
    assertThat(ClosestKey.find("no-such-flag", KEYS)).isNull();
    assertThat(ClosestKey.find("x", KEYS)).isNull();
    assertThat(ClosestKey.find("new-pricing", List.of())).isNull();
  }

  @Test
  void distance_countsInsertionsDeletionsAndSubstitutions() {
    assertThat(ClosestKey.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(ClosestKey.distance("", "abc")).isEqualTo(3);
    assertThat(ClosestKey.distance("abc", "abc")).isZero();
  }
}
