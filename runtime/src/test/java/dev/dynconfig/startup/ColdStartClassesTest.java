package dev.dynconfig.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's cold start (load a JSON flag file, evaluate, assign, read a config value as an int)
 * must not load Jackson or SnakeYAML: they cost ~400 classes, and the agent starts the engine
 * before the application's {@code main}. Runs {@link ColdStartScenario} in a fresh class loader
 * over the same class path and asks that loader which classes it defined.
 */
class ColdStartClassesTest {
  static final String FLAGS =
      """
      {
        "version": 3,
        "roles": ["viewer", "user", "admin"],
        "flags": [
          {"key": "new-pricing", "defaultValue": false, "rolloutPercentage": 50,
           "description": "caf\\u00e9 \u20ac 1.5e3"},
          {"key": "premium-only", "defaultValue": false,
           "targeting": {"==": [{"var": "plan"}, "premium"]}}
        ],
        "tests": [
          {"id": "checkout-experiment", "status": "running",
           "variants": [{"id": "control", "isControl": true, "config": {"steps": 3}},
                        {"id": "variant-a", "config": {"steps": 2.5}}],
           "allocation": {"control": 50, "variant-a": 50}}
        ],
        "config": {"checkout": {"timeoutMs": 1500, "ratio": 0.25, "big": 123456789012345678901}}
      }
      """;

  /** A class loader that can say which classes it has defined. */
  static final class IsolatedLoader extends URLClassLoader {
    IsolatedLoader(URL[] urls) {
      super("cold-start", urls, ClassLoader.getPlatformClassLoader());
    }

    boolean defined(String className) {
      return findLoadedClass(className) != null;
    }
  }

  @Test
  void engineColdStart_onAJsonFile_loadsNeitherJacksonNorSnakeYaml(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("flags.json"), FLAGS);
    Set<URL> path = new LinkedHashSet<>();
    for (Class<?> c :
        new Class<?>[] {
          ColdStartScenario.class, // test classes
          dev.dynconfig.DynamicConfig.class, // runtime
          dev.dynconfig.api.Toggle.class, // api
          com.fasterxml.jackson.core.JsonFactory.class,
          com.fasterxml.jackson.databind.ObjectMapper.class,
          com.fasterxml.jackson.annotation.JsonProperty.class,
          com.fasterxml.jackson.dataformat.yaml.YAMLFactory.class,
          org.yaml.snakeyaml.LoaderOptions.class,
          org.slf4j.LoggerFactory.class,
          org.slf4j.simple.SimpleLogger.class
        }) {
      path.add(c.getProtectionDomain().getCodeSource().getLocation());
    }
    try (IsolatedLoader loader = new IsolatedLoader(path.toArray(URL[]::new))) {
      @SuppressWarnings("unchecked")
      Function<Path, String> scenario =
          (Function<Path, String>)
              Class.forName(ColdStartScenario.class.getName(), true, loader)
                  .getDeclaredConstructor()
                  .newInstance();

      assertThat(scenario.apply(file)).endsWith(" 1500"); // the file was read and applied
      assertThat(loader.defined("dev.dynconfig.internal.engine.Engine"))
          .isTrue(); // the loader works

      assertThat(loader.defined("com.fasterxml.jackson.databind.ObjectMapper")).isFalse();
      assertThat(loader.defined("com.fasterxml.jackson.core.JsonFactory")).isFalse();
      assertThat(loader.defined("com.fasterxml.jackson.core.JsonParser")).isFalse();
      assertThat(loader.defined("org.yaml.snakeyaml.LoaderOptions")).isFalse();
    }
  }
}
