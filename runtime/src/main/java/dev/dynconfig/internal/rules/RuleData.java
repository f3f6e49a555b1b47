package dev.dynconfig.internal.rules;

/**
 * The data a rule reads with {@code var}. Lookups must not allocate: implementations return values
 * they already hold.
 */
public interface RuleData {

  /** Returned by {@link #get} for a name that is not present (distinct from a present null). */
  Object MISSING =
      new Object() {
        @Override
        public String toString() {
          return "MISSING";
        }
      };

  /**
   * The value of a top-level name ({@code targetingKey}, {@code userId}, a custom attribute, {@code
   * $flagd} …) or {@link #MISSING}. Nested paths ({@code "user.plan"}) are resolved by the rule.
   */
  Object get(String name);

  /** The key of the flag being evaluated ({@code $flagd.flagKey}, {@code fractional}'s seed). */
  String flagKey();

  /**
   * The bucketing version {@code fractional} uses: {@link Bucketing#V2} (the default) or {@link
   * Bucketing#V1}.
   */
  default int bucketingVersion() {
    return Bucketing.V2;
  }

  /** The bucketing key (user id, else session id), or {@code null}. */
  String targetingKey();

  /**
   * The whole data as a JsonLogic value, for {@code {"var": ""}} at top level (rare; may allocate).
   * The default is a read-only map view that answers lookups through {@link #get} but cannot list
   * its names; implementations that can should return a full map.
   */
  default Object asJson() {
    return new RuleDataView(this);
  }
}
