package dev.dynconfig.bench.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsersTest {
  @Test
  void users_areDistinct_andExactlyHalfPremium() {
    Set<String> ids = new HashSet<>();
    int premium = 0;
    for (int i = 0; i < Users.COUNT; i++) {
      ids.add(Users.id(i));
      if (Users.premium(i)) {
        premium++;
      }
    }
    assertThat(ids).hasSize(Users.COUNT);
    assertThat(premium).isEqualTo(Users.COUNT / 2);
  }

  @Test
  void premiumUsers_areNotAStrictAlternation() {
    // A strict alternation would let the branch predictor learn the rule's answer.
    int changes = 0;
    for (int i = 1; i < Users.COUNT; i++) {
      if (Users.premium(i) != Users.premium(i - 1)) {
        changes++;
      }
    }
    assertThat(changes).isLessThan(Users.COUNT - 1);
  }
}
