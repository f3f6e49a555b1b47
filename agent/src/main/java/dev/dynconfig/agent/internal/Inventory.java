package dev.dynconfig.agent.internal;

import dev.dynconfig.AbTest;
import dev.dynconfig.FeatureFlag;
import dev.dynconfig.internal.document.Document;
import dev.dynconfig.internal.document.DocumentParser;
import dev.dynconfig.internal.document.FlagdFlag;
import dev.dynconfig.internal.insight.ClosestKey;
import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.internal.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code java -jar dynconfig.jar inventory [--flags FILE] [--json] JAR_OR_DIR...}: every method
 * that uses a flag, test or config key, read from class files without loading them, and what can be
 * known about them before they run: keys the flag file lacks ({@code unknown-key}, with the closest
 * existing key) and flags or tests no method uses ({@code unused}).
 *
 * <p>Exit codes: 0 no unknown key, 1 an {@code unknown-key} finding (so a build can fail on a typo)
 * or an unreadable input, 2 wrong usage.
 */
public final class Inventory {
  static final String USAGE =
      """
      usage: dynconfig inventory [--flags FILE] [--json] JAR_OR_DIR...
          Lists every method annotated with @Toggle, @Variant or @ConfigValue in the class files
          of the jars and directories given (nested jars included; no class is loaded). With
          --flags, also the findings: unknown-key (the code uses a key the file lacks: exit 1)
          and unused (a flag or test of the file that no method uses).
      """;

  private Inventory() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Path flags = null;
    boolean json = false;
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--json" -> json = true;
        case "--flags" -> {
          if (i + 1 >= args.length) {
            err.println("inventory: --flags needs a file\n" + USAGE);
            return 2;
          }
          flags = Path.of(args[++i]);
        }
        case "--help", "-h" -> {
          out.print(USAGE);
          return 0;
        }
        default -> {
          if (args[i].startsWith("--")) {
            err.println("inventory: unknown option " + args[i] + "\n" + USAGE);
            return 2;
          }
          inputs.add(Path.of(args[i]));
        }
      }
    }
    if (inputs.isEmpty()) {
      err.print("inventory: name at least one jar or directory\n" + USAGE);
      return 2;
    }
    InventoryScanner scanner = new InventoryScanner();
    for (Path input : inputs) {
      try {
        scanner.scan(input);
      } catch (IOException | RuntimeException e) {
        err.println("inventory: cannot read " + input + ": " + e.getMessage());
        return 1;
      }
    }
    Document document = null;
    if (flags != null) {
      try {
        document = DocumentParser.parse(Files.readAllBytes(flags), flags.toString());
      } catch (IOException e) {
        err.println("inventory: cannot read the flag file " + flags + ": " + e.getMessage());
        return 1;
      } catch (DocumentException e) {
        err.println("inventory: " + e.getMessage());
        return 1;
      }
    }
    List<Map<String, Object>> sites = sites(scanner.found());
    List<Map<String, Object>> findings =
        document == null ? List.of() : findings(sites, document, flags.getFileName().toString());
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("classFiles", scanner.classFiles());
      result.put("sites", sites);
      if (document != null) {
        result.put("findings", findings);
      }
      out.println(Json.writePretty(result));
    } else {
      printTable(out, scanner.classFiles(), sites, findings, document != null);
    }
    return findings.stream().anyMatch(f -> "unknown-key".equals(f.get("type"))) ? 1 : 0;
  }

  /** One entry per annotated method; a test's siblings are folded into their entry method. */
  static List<Map<String, Object>> sites(List<InventoryScanner.Annotated> found) {
    List<Map<String, Object>> sites = new ArrayList<>();
    Map<String, Map<String, String>> variantsByEntry = new LinkedHashMap<>();
    Map<String, Map<String, Object>> entries = new LinkedHashMap<>();
    for (InventoryScanner.Annotated a : found) {
      Map<String, Object> site = new LinkedHashMap<>();
      switch (a.annotation()) {
        case "Toggle" -> {
          site.put("kind", "flag");
          site.put("key", a.values().get("flag"));
          site.put("method", a.display());
          Object otherwise = a.values().get("otherwise");
          if (otherwise != null && !otherwise.toString().isEmpty()) {
            site.put("otherwise", otherwise);
          }
          site.put("defaultValue", Boolean.TRUE.equals(a.values().get("defaultValue")));
          sites.add(site);
        }
        case "ConfigValue" -> {
          site.put("kind", "config");
          site.put("key", a.values().get("namespace") + "." + a.values().get("key"));
          site.put("method", a.display());
          sites.add(site);
        }
        default -> {
          String test = String.valueOf(a.values().get("test"));
          String group = a.className() + " " + test;
          Object id = a.values().get("id");
          Map<String, String> variants =
              variantsByEntry.computeIfAbsent(group, g -> new LinkedHashMap<>());
          if (id == null || id.toString().isEmpty()) {
            site.put("kind", "test");
            site.put("key", test);
            site.put("method", a.display());
            entries.put(group, site);
            variants.put("control", a.method());
            sites.add(site);
          } else {
            variants.put(id.toString(), a.method());
          }
        }
      }
    }
    variantsByEntry.forEach(
        (group, variants) -> {
          Map<String, Object> entry = entries.get(group);
          if (entry != null) {
            entry.put("variants", variants);
          } else { // siblings without an entry method: the agent refuses them, list them anyway
            Map<String, Object> site = new LinkedHashMap<>();
            site.put("kind", "test");
            site.put("key", group.substring(group.indexOf(' ') + 1));
            site.put("method", group.substring(0, group.indexOf(' ')) + " (no entry method)");
            site.put("variants", variants);
            sites.add(site);
          }
        });
    sites.sort(
        java.util.Comparator.comparing((Map<String, Object> s) -> String.valueOf(s.get("key")))
            .thenComparing(s -> String.valueOf(s.get("method"))));
    return sites;
  }

  static List<Map<String, Object>> findings(
      List<Map<String, Object>> sites, Document document, String fileName) {
    Map<String, Set<String>> known = new LinkedHashMap<>();
    known.put("flag", new TreeSet<>());
    known.put("test", new TreeSet<>());
    known.put("config", new TreeSet<>());
    for (FeatureFlag f : document.flags()) {
      known.get("flag").add(f.key());
    }
    for (FlagdFlag f : document.flagdFlags()) {
      known.get("flag").add(f.key());
    }
    for (AbTest t : document.tests()) {
      known.get("test").add(t.id());
    }
    document
        .config()
        .forEach(
            (ns, values) -> values.keySet().forEach(k -> known.get("config").add(ns + "." + k)));

    Map<String, Set<String>> unknown = new TreeMap<>(); // "kind key" -> methods
    Map<String, Set<String>> used = new LinkedHashMap<>();
    known.keySet().forEach(k -> used.put(k, new TreeSet<>()));
    for (Map<String, Object> site : sites) {
      String kind = (String) site.get("kind");
      String key = String.valueOf(site.get("key"));
      used.get(kind).add(key);
      if (!known.get(kind).contains(key)) {
        unknown
            .computeIfAbsent(kind + " " + key, k -> new TreeSet<>())
            .add((String) site.get("method"));
      }
    }
    List<Map<String, Object>> findings = new ArrayList<>();
    unknown.forEach(
        (kindKey, methods) -> {
          String kind = kindKey.substring(0, kindKey.indexOf(' '));
          String key = kindKey.substring(kindKey.indexOf(' ') + 1);
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("type", "unknown-key");
          f.put("kind", kind);
          f.put("key", key);
          f.put("methods", List.copyOf(methods));
          String closest = ClosestKey.find(key, known.get(kind));
          if (closest != null) {
            f.put("closest", closest);
          }
          f.put(
              "message",
              kind
                  + " '"
                  + key
                  + "' is not defined in "
                  + fileName
                  + (closest == null ? "" : " (closest existing key: '" + closest + "')"));
          findings.add(f);
        });
    for (String kind : List.of("flag", "test")) {
      for (String key : known.get(kind)) {
        if (!used.get(kind).contains(key)) {
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("type", "unused");
          f.put("kind", kind);
          f.put("key", key);
          f.put(
              "message", kind + " '" + key + "' of " + fileName + " is used by no method scanned");
          findings.add(f);
        }
      }
    }
    return findings;
  }

  private static void printTable(
      PrintStream out,
      int classFiles,
      List<Map<String, Object>> sites,
      List<Map<String, Object>> findings,
      boolean withFlags) {
    int keyWidth = 3;
    int methodWidth = 6;
    for (Map<String, Object> s : sites) {
      keyWidth = Math.max(keyWidth, String.valueOf(s.get("key")).length());
      methodWidth = Math.max(methodWidth, String.valueOf(s.get("method")).length());
    }
    String row = "%-7s  %-" + keyWidth + "s  %-" + methodWidth + "s  %s";
    out.println(String.format(row, "KIND", "KEY", "METHOD", "DETAILS").stripTrailing());
    for (Map<String, Object> s : sites) {
      out.println(
          String.format(row, s.get("kind"), s.get("key"), s.get("method"), details(s))
              .stripTrailing());
    }
    out.printf("%d sites in %d class files%n", sites.size(), classFiles);
    if (!withFlags) {
      out.println("(no --flags FILE: unknown and unused keys are not checked)");
      return;
    }
    out.println();
    if (findings.isEmpty()) {
      out.println("no findings");
    }
    for (Map<String, Object> f : findings) {
      Object methods = f.get("methods");
      out.println(
          f.get("type")
              + ": "
              + f.get("message")
              + (methods == null ? "" : "; used by " + String.join(", ", (List<String>) methods)));
    }
  }

  @SuppressWarnings("unchecked")
  private static String details(Map<String, Object> s) {
    if (s.containsKey("variants")) {
      List<String> parts = new ArrayList<>();
      ((Map<String, String>) s.get("variants")).forEach((id, m) -> parts.add(id + " -> " + m));
      return String.join(", ", parts);
    }
    if (s.containsKey("otherwise")) {
      return "otherwise " + s.get("otherwise") + ", default " + s.get("defaultValue");
    }
    return s.containsKey("defaultValue") ? "default " + s.get("defaultValue") : "";
  }
}
