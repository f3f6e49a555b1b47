package dev.dynconfig.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The agent's record of rewritten methods, as the JMX beans read it through its index. */
class GuardedMethodsTest {

  @Test
  void recordedMethods_areListedSorted_throughTheIndexTheJmxBeansRead() {
    GuardedMethods.recordFlag("gm-flag", "com.acme.Pricing#price(Order)");
    GuardedMethods.recordFlag("gm-flag", "com.acme.Audit#log(Order)");
    GuardedMethods.recordTest("gm-test", "com.acme.Checkout#steps(User)");
    assertThat(GuardedMethods.INDEX.forFlag("gm-flag"))
        .containsExactly("com.acme.Audit#log(Order)", "com.acme.Pricing#price(Order)");
    assertThat(GuardedMethods.INDEX.forTest("gm-test"))
        .containsExactly("com.acme.Checkout#steps(User)");
    assertThat(GuardedMethods.INDEX.forFlag("gm-other")).isEmpty();
    assertThat(GuardedMethods.INDEX.forTest("gm-flag")).as("flags and tests apart").isEmpty();
  }

  @Test
  void aMethodLoadedTwice_staysListed_untilBothCopiesAreForgotten() {
    // Two deployments of one web application: the same method, two class loaders.
    GuardedMethods.recordFlag("gm-twice", "com.acme.Web#handle()");
    GuardedMethods.recordFlag("gm-twice", "com.acme.Web#handle()");
    GuardedMethods.forgetFlag("gm-twice", "com.acme.Web#handle()");
    assertThat(GuardedMethods.INDEX.forFlag("gm-twice")).containsExactly("com.acme.Web#handle()");
    GuardedMethods.forgetFlag("gm-twice", "com.acme.Web#handle()");
    assertThat(GuardedMethods.INDEX.forFlag("gm-twice")).isEmpty();

    GuardedMethods.recordTest("gm-test-twice", "com.acme.Web#steps()");
    GuardedMethods.forgetTest("gm-test-twice", "com.acme.Web#steps()");
    assertThat(GuardedMethods.INDEX.forTest("gm-test-twice")).isEmpty();
  }
}
