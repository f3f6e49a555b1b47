package dev.dynconfig.bench.startup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Generates the application of section 4 of BENCHMARKS.md: {@value #CLASSES} classes in {@value
 * #PACKAGES} packages of {@code com.acme.gen}, of which every {@value #ANNOTATED_EVERY}th carries
 * one annotated method (a third each {@code @Toggle}, {@code @Variant} entry + variant,
 * {@code @ConfigValue}), a {@code Main} that creates every class and calls it once, and the flag
 * file the agent is started with. The sources are compiled in-process (javax.tools) and packed into
 * {@code app.jar} together with the dynconfig-api annotations, as a real application would ship
 * them.
 */
final class AppGenerator {
  static final int CLASSES = 5000;
  static final int PACKAGES = 50;
  static final int ANNOTATED_EVERY = 139; // 36 annotated classes

  /** Bump when the generated code changes, so an older generated application is not reused. */
  private static final String VERSION = "4";

  /** What the generated application contains, for the report. */
  record App(Path jar, Path flags, int classes, int toggles, int variants, int configValues) {
    int annotatedClasses() {
      return toggles + variants + configValues;
    }
  }

  private AppGenerator() {}

  /** Generates and compiles the application into {@code dir}, unless it is already there. */
  static App generate(Path dir) throws IOException {
    Path jar = dir.resolve("app.jar");
    Path flags = dir.resolve("flags.json");
    int toggles = 0;
    int variants = 0;
    int configs = 0;
    for (int i = 0; i < CLASSES; i += ANNOTATED_EVERY) {
      switch ((i / ANNOTATED_EVERY) % 3) {
        case 0 -> toggles++;
        case 1 -> variants++;
        default -> configs++;
      }
    }
    App app = new App(jar, flags, CLASSES + PACKAGES + 1, toggles, variants, configs);
    Path stamp = dir.resolve("generator-version");
    if (Files.isRegularFile(jar)
        && Files.isRegularFile(flags)
        && Files.isRegularFile(stamp)
        && Files.readString(stamp).equals(VERSION)) {
      return app;
    }
    deleteRecursively(dir);
    Path src = dir.resolve("src");
    Path classes = dir.resolve("classes");
    Files.createDirectories(src);
    Files.createDirectories(classes);
    List<Path> sources = new ArrayList<>();
    int perPackage = CLASSES / PACKAGES;
    StringBuilder main = new StringBuilder();
    for (int p = 0; p < PACKAGES; p++) {
      String pkg = String.format("p%02d", p);
      Path pkgDir = src.resolve("com/acme/gen/" + pkg);
      Files.createDirectories(pkgDir);
      StringBuilder entry = new StringBuilder();
      entry.append("package com.acme.gen.").append(pkg).append(";\n\n");
      entry.append("public final class Entry {\n  public static int run(int x) {\n");
      for (int c = p * perPackage; c < (p + 1) * perPackage; c++) {
        String name = String.format("C%04d", c);
        sources.add(write(pkgDir.resolve(name + ".java"), classSource(pkg, name, c)));
        entry.append("    x = new ").append(name).append("().work(x);\n");
        if (c % ANNOTATED_EVERY == 0) {
          entry.append("    x += new ").append(name).append("().annotated(x);\n");
        }
      }
      entry.append("    return x;\n  }\n}\n");
      sources.add(write(pkgDir.resolve("Entry.java"), entry.toString()));
      main.append("    x = com.acme.gen.").append(pkg).append(".Entry.run(x);\n");
    }
    sources.add(write(src.resolve("com/acme/gen/Main.java"), mainSource(main.toString())));
    // The same report from an otherwise empty main: the agent's fixed cost, without classes to
    // match.
    sources.add(
        write(
            src.resolve("com/acme/gen/Empty.java"),
            mainSource("").replace("class Main", "class Empty")));
    Files.writeString(flags, flagsJson());
    compile(sources, classes);
    pack(classes, jar);
    Files.writeString(stamp, VERSION);
    return app;
  }

  private static String classSource(String pkg, String name, int index) {
    StringBuilder s = new StringBuilder();
    s.append("package com.acme.gen.").append(pkg).append(";\n\n");
    s.append("/** Generated. */\npublic class ").append(name).append(" {\n");
    s.append("  private static final int SEED = ").append(index).append(";\n");
    s.append("  private final int[] data = new int[4];\n\n");
    s.append(
        """
          public int work(int x) {
            int r = x ^ SEED;
            for (int i = 0; i < data.length; i++) {
              data[i] = r + i;
              r = r * 0x9E3779B1 + i;
            }
            return mix(r);
          }

          // Bijective, like the multiply above, so that a different value returned by an annotated
          // method changes the application's final result (the self-check relies on it).
          static int mix(int v) {
            return v ^ (v >>> 15);
          }

          public long total() {
            long t = 0;
            for (int d : data) {
              t += d;
            }
            return t;
          }

        """);
    if (index % ANNOTATED_EVERY == 0) {
      int n = index / ANNOTATED_EVERY;
      switch (n % 3) {
        case 0 ->
            s.append("  @dev.dynconfig.api.Toggle(flag = \"gen-flag-")
                .append(n)
                .append("\", otherwise = \"legacy\")\n")
                .append("  public int annotated(int x) {\n    return x + 1;\n  }\n\n")
                .append("  public int legacy(int x) {\n    return x + 2;\n  }\n");
        case 1 ->
            s.append("  @dev.dynconfig.api.Variant(test = \"gen-test-")
                .append(n)
                .append("\")\n  public int annotated(int x) {\n    return x + 3;\n  }\n\n")
                .append("  @dev.dynconfig.api.Variant(test = \"gen-test-")
                .append(n)
                .append(
                    "\", id = \"b\")\n  public int variantB(int x) {\n    return x + 4;\n  }\n");
        default ->
            s.append("  @dev.dynconfig.api.ConfigValue(namespace = \"gen\", key = \"value")
                .append(n)
                .append("\")\n  public int annotated(int x) {\n    return 5;\n  }\n");
      }
    } else {
      s.append("  public int annotated(int x) {\n    return x;\n  }\n");
    }
    s.append("}\n");
    return s.toString();
  }

  private static String mainSource(String calls) {
    return """
        package com.acme.gen;

        /** Generated: touches every class once, then reports the time since JVM start. */
        public final class Main {
          public static void main(String[] args) throws Exception {
            int x = 1;
        %s
            long end = System.currentTimeMillis();
            long start = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
            System.out.println("startup-ms " + (end - start) + " result " + x);
            if (args.length > 0 && args[0].equals("--inspect")) {
              dev.dynconfig.bench.startup.Inspect.report();
            }
          }
        }
        """
        .formatted(calls);
  }

  private static String flagsJson() {
    StringBuilder flags = new StringBuilder();
    StringBuilder tests = new StringBuilder();
    StringBuilder config = new StringBuilder();
    for (int i = 0, n = 0; i < CLASSES; i += ANNOTATED_EVERY, n++) {
      switch (n % 3) {
        case 0 ->
            flags
                .append(flags.length() == 0 ? "" : ",\n")
                .append("    {\"key\": \"gen-flag-")
                .append(n)
                .append("\", \"defaultValue\": true}");
        case 1 ->
            tests
                .append(tests.length() == 0 ? "" : ",\n")
                .append("    {\"id\": \"gen-test-")
                .append(n)
                .append("\", \"status\": \"running\", \"variants\": [{\"id\": \"control\",")
                .append(" \"isControl\": true}, {\"id\": \"b\"}],")
                .append(" \"allocation\": {\"control\": 50, \"b\": 50}}");
        default ->
            config
                .append(config.length() == 0 ? "" : ", ")
                .append("\"value")
                .append(n)
                .append("\": ")
                .append(n);
      }
    }
    return "{\n  \"version\": 1,\n  \"flags\": [\n"
        + flags
        + "\n  ],\n  \"tests\": [\n"
        + tests
        + "\n  ],\n  \"config\": {\"gen\": {"
        + config
        + "}}\n}\n";
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  private static Path write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static void compile(List<Path> sources, Path classes) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no Java compiler: run the start-up section on a JDK");
    }
    String classpath = ownJar().toString();
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classpath));
    args.addAll(List.of("--release", "17", "-nowarn", "-proc:none"));
    sources.forEach(s -> args.add(s.toString()));
    int rc = javac.run(null, null, null, args.toArray(String[]::new));
    if (rc != 0) {
      throw new IllegalStateException("javac failed (exit " + rc + ") for the generated app");
    }
  }

  /**
   * Packs the compiled classes, the dynconfig-api annotations and {@link Inspect} (the in-app
   * measurement of heap and threads, run only with {@code --inspect}) into one jar.
   */
  private static void pack(Path classes, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
        Files.copy(p, out);
        out.closeEntry();
      }
      try (JarFile own = new JarFile(ownJar().toFile())) {
        Enumeration<JarEntry> entries = own.entries();
        while (entries.hasMoreElements()) {
          JarEntry e = entries.nextElement();
          String n = e.getName();
          if (n.endsWith(".class")
              && (n.startsWith("dev/dynconfig/api/")
                  || n.startsWith("dev/dynconfig/bench/startup/Inspect"))) {
            out.putNextEntry(new JarEntry(n));
            try (InputStream in = own.getInputStream(e)) {
              in.transferTo(out);
            }
            out.closeEntry();
          }
        }
      }
    }
  }

  private static Path ownJar() {
    try {
      Path p =
          Path.of(AppGenerator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException("run the start-up section from benchmarks.jar, not " + p);
      }
      return p;
    } catch (URISyntaxException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
