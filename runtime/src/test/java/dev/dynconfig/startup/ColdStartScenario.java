package dev.dynconfig.startup;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.TestVariant;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * What an application (or the agent, before {@code main}) does at start: load a flag file, then
 * evaluate a flag, assign a test variant and read a config value as an {@code int}, the way a
 * {@code @ConfigValue} method does. Loaded by {@link ColdStartClassesTest} in a class loader of its
 * own, so that the classes it loads can be counted.
 */
public final class ColdStartScenario implements Function<Path, String> {
  @Override
  public String apply(Path flagFile) {
    try (DynamicConfig config =
        DynamicConfig.create(
            DynamicConfigOptions.builder().file(flagFile).registerJmx(false).build())) {
      config.initialize();
      EvaluationContext user = EvaluationContext.ofUser("user-7");
      boolean on = config.isFlagEnabled("new-pricing", user);
      boolean premium =
          config.isFlagEnabled(
              "premium-only",
              EvaluationContext.builder().userId("u").attribute("plan", "premium").build());
      TestVariant v = config.getVariant("checkout-experiment", user);
      Integer steps = config.getRuntimeConfig("checkout", "timeoutMs", int.class);
      return on + " " + premium + " " + (v == null ? null : v.id()) + " " + steps;
    }
  }
}
