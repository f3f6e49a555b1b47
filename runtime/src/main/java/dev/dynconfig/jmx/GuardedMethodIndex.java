package dev.dynconfig.jmx;

/**
 * Which methods branch on each flag and test, for the {@code GuardedMethods} attribute of the flag
 * and test MBeans. The agent, which rewrites those methods, keeps the index and hands it over with
 * {@link JmxRegistration#useGuardedMethods}; without an agent it is {@link #NONE}.
 */
public interface GuardedMethodIndex {

  /** The methods (e.g. {@code com.acme.Pricing#price(Order)}) that use a flag, sorted. */
  String[] forFlag(String flagKey);

  /** The methods that dispatch on an A/B test, sorted. */
  String[] forTest(String testId);

  /** No methods for any key. */
  GuardedMethodIndex NONE =
      new GuardedMethodIndex() {
        @Override
        public String[] forFlag(String flagKey) {
          return new String[0];
        }

        @Override
        public String[] forTest(String testId) {
          return new String[0];
        }
      };
}
