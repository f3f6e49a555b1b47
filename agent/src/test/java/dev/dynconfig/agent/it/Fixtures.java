package dev.dynconfig.agent.it;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.api.DynamicContext;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Paths and flag documents shared by the integration tests. */
final class Fixtures {
  private Fixtures() {}

  /** target/test-classes: the test applications in com.acme.itapp. */
  static Path testClasses() {
    return codeSource(Fixtures.class);
  }

  /** The dynconfig-api classes the applications compile against. */
  static Path apiClasses() {
    return codeSource(DynamicContext.class);
  }

  /**
   * The class path of the test applications: their classes, the dynconfig api, and the logging jars
   * of {@code libs} (see {@link #libs}), as an application ships them.
   */
  static String appClasspath(String libs) throws IOException {
    return ChildJvm.classpath(
        testClasses(), apiClasses(), ChildJvm.classpath(libs(libs).toArray()));
  }

  /** Jars copied by maven-dependency-plugin into target/it-libs/{group}. */
  static List<Path> libs(String group) throws IOException {
    Path dir = Path.of(System.getProperty("dynconfig.it.libs", "target/it-libs")).resolve(group);
    List<Path> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
    }
    if (jars.isEmpty()) {
      throw new IllegalStateException("no jars in " + dir + "; run the build through 'mvn verify'");
    }
    return jars;
  }

  /**
   * The classes of {@code classes} (a directory, or a jar as the reactor hands it over) as a new
   * jar whose manifest names this title and version.
   */
  static Path jar(Path classes, Path jar, String title, String version) throws IOException {
    java.util.jar.Manifest manifest = new java.util.jar.Manifest();
    java.util.jar.Attributes main = manifest.getMainAttributes();
    main.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(java.util.jar.Attributes.Name.IMPLEMENTATION_TITLE, title);
    main.put(java.util.jar.Attributes.Name.IMPLEMENTATION_VERSION, version);
    try (java.io.OutputStream out = Files.newOutputStream(jar);
        java.util.jar.JarOutputStream jarOut = new java.util.jar.JarOutputStream(out, manifest)) {
      if (Files.isDirectory(classes)) {
        try (Stream<Path> files = Files.walk(classes)) {
          for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
            jarOut.putNextEntry(
                new java.util.jar.JarEntry(classes.relativize(f).toString().replace('\\', '/')));
            Files.copy(f, jarOut);
            jarOut.closeEntry();
          }
        }
      } else {
        try (java.util.jar.JarFile in = new java.util.jar.JarFile(classes.toFile())) {
          for (java.util.jar.JarEntry e : java.util.Collections.list(in.entries())) {
            if (e.isDirectory() || e.getName().equals("META-INF/MANIFEST.MF")) {
              continue;
            }
            jarOut.putNextEntry(new java.util.jar.JarEntry(e.getName()));
            try (java.io.InputStream entry = in.getInputStream(e)) {
              entry.transferTo(jarOut);
            }
            jarOut.closeEntry();
          }
        }
      }
    }
    return jar;
  }

  private static Path codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Skips (with the reason) tests that need real flag evaluation while the engine is a stub. */
  static void assumeEngine() {
    try {
      DynamicConfig.create(DynamicConfigOptions.defaults()).close();
    } catch (UnsupportedOperationException e) {
      Assumptions.abort("the engine (dev.dynconfig.DynamicConfig) is not implemented yet");
    }
  }

  /** A native document: new-pricing, the checkout experiment and checkout.timeoutMs. */
  static String document(
      int version, boolean newPricing, long timeoutMs, int control, int a, int b) {
    return """
        {
          "version": %d,
          "flags": [{"key": "new-pricing", "defaultValue": %s}],
          "tests": [{"id": "checkout-experiment", "name": "Checkout", "status": "running",
                     "variants": [{"id": "control", "name": "Original", "isControl": true},
                                  {"id": "variant-a", "name": "Optimized"},
                                  {"id": "variant-b", "name": "Express"}],
                     "allocation": {"control": %d, "variant-a": %d, "variant-b": %d}}],
          "config": {"checkout": {"timeoutMs": %d}}
        }
        """
        .formatted(version, newPricing, control, a, b, timeoutMs);
  }

  /** Replaces {@code file} atomically, as editors and git do. */
  static void write(Path file, String content) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), "flags", ".tmp");
    Files.writeString(temp, content);
    Files.move(
        temp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
