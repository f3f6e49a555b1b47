package dev.dynconfig.testing;

/** Documents several tests read. */
public final class Examples {
  private Examples() {}

  /**
   * The example native document of issue 2: every field of a flag and of a test, two config
   * namespaces, version 7.
   */
  public static final String ISSUE_2 =
      """
      {
        "version": 7,
        "roles": ["viewer", "user", "admin"],
        "flags": [
          {"key": "new-dashboard", "defaultValue": false, "name": "New Dashboard",
           "description": "Redesigned dashboard", "environments": ["staging", "production"],
           "minRole": "user", "rolloutPercentage": 25, "expiresAt": "2027-12-31T23:59:59Z",
           "variant": "v2", "metadata": {"owner": "web"},
           "targeting": {"==": [{"var": "plan"}, "premium"]}}
        ],
        "tests": [
          {"id": "checkout-experiment", "name": "Checkout Flow", "status": "running",
           "variants": [{"id": "control", "name": "Original", "isControl": true, "config": {"steps": 3}},
                        {"id": "variant-a", "name": "Optimized", "config": {"steps": 2}},
                        {"id": "variant-b", "name": "Express", "config": {"steps": 1}}],
           "allocation": {"control": 33, "variant-a": 33, "variant-b": 34},
           "startDate": "2026-01-01T00:00:00Z", "endDate": "2027-01-01T00:00:00Z",
           "environments": ["production"]}
        ],
        "config": {"ui": {"theme": "dark"}, "checkout": {"timeoutMs": 1500}}
      }
      """;
}
