package dev.dynconfig.internal.cli;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.internal.document.Document;
import dev.dynconfig.internal.document.DocumentParser;
import dev.dynconfig.internal.engine.EngineIntrospection.AssignmentResult;
import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.internal.json.Json;
import dev.dynconfig.internal.source.SourceSink.OfferResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line: {@code validate}, {@code eval} and {@code assign} against a flag file.
 *
 * <p>Exit codes: 0 success, 1 the file is unreadable or invalid, 2 wrong usage.
 */
public final class Cli {
  static final String USAGE =
      """
      usage: dynconfig <command> [arguments]

        validate FILE
            Checks a flag file (native or flagd, JSON or YAML). Exit 0 and a one-line summary when
            valid; exit 1 and every problem (path: value reason) when not.
        eval FILE FLAG_KEY [--context JSON] [--default JSON] [--env ENVIRONMENT] [--now INSTANT]
            Evaluates a flag; prints {"value":…,"reason":"…","variant":…,"errorCode":…,
            "errorMessage":…,"metadata":{…}} (absent fields omitted). --default is the caller's
            fallback value.
        assign FILE TEST_ID USER_ID [--context JSON] [--env ENVIRONMENT] [--now INSTANT]
            Assigns a user to an A/B test; prints {"variant":"…","config":{…}} or
            {"variant":null,"reason":"…"}.
        serve --file FILE --port PORT --read-token R --admin-token A [--tls-cert PEM --tls-key PEM]
            Starts the dynconfig config server (only in dynconfig.jar, the agent jar).
        inventory [--flags FILE] [--json] JAR_OR_DIR...
            Lists the methods using each flag, test and config key, from class files; with --flags
            also unknown (exit 1) and unused keys (only in dynconfig.jar, the agent jar).
        --help
            Shows this text.

      The context JSON uses the keys userId, sessionId, environment, userRole and targetingKey
      (the bucketing key); every other key is a custom attribute. The environment defaults to
      --env, else "production". --now (e.g. 2026-06-01T00:00:00Z) evaluates expiry and test
      windows at that instant instead of the current time.
      """;

  private Cli() {}

  public static void main(String[] args) {
    // The CLI's output is its result; keep slf4j-simple (if present) from adding INFO lines.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns the exit code. Never calls {@code System.exit}. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(USAGE);
      return 2;
    }
    try {
      switch (args[0]) {
        case "--help":
        case "-h":
        case "help":
          out.print(USAGE);
          return 0;
        case "validate":
          return validate(args, out, err);
        case "eval":
          return eval(args, out, err);
        case "assign":
          return assign(args, out, err);
        default:
          err.println("unknown command: " + args[0]);
          err.print(USAGE);
          return 2;
      }
    } catch (UsageException e) {
      err.println(e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (FileProblem e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  private static int validate(String[] args, PrintStream out, PrintStream err) {
    Parsed p = parse(args, 1, List.of());
    String file = p.positional.get(0);
    try {
      Document d = DocumentParser.parse(read(file), file);
      out.println("OK " + d);
      return 0;
    } catch (DocumentException e) {
      out.println(e.getMessage());
      return 1;
    }
  }

  private static int eval(String[] args, PrintStream out, PrintStream err) {
    Parsed p = parse(args, 2, List.of("--context", "--default", "--env", "--now"));
    DynamicConfig config = load(p, err);
    if (config == null) {
      return 1;
    }
    EvaluationContext ctx = context(p.options.get("--context"), null);
    Object fallback =
        p.options.containsKey("--default") ? json(p.options.get("--default"), "--default") : null;
    FlagEvaluation r = config.evaluateFlag(p.positional.get(1), ctx, fallback);
    Map<String, Object> result = new LinkedHashMap<>();
    if (r.value() != null) {
      result.put("value", r.value());
    }
    result.put("reason", r.reason().name());
    if (r.variant() != null) {
      result.put("variant", r.variant());
    }
    if (r.errorCode() != null) {
      result.put("errorCode", r.errorCode().name());
    }
    if (r.errorMessage() != null) {
      result.put("errorMessage", r.errorMessage());
    }
    if (!r.metadata().isEmpty()) {
      result.put("metadata", new java.util.TreeMap<>(r.metadata()));
    }
    out.println(Json.write(result));
    return 0;
  }

  private static int assign(String[] args, PrintStream out, PrintStream err) {
    Parsed p = parse(args, 3, List.of("--context", "--env", "--now"));
    DynamicConfig config = load(p, err);
    if (config == null) {
      return 1;
    }
    EvaluationContext ctx = context(p.options.get("--context"), p.positional.get(2));
    AssignmentResult a = config.introspection().explainAssignment(p.positional.get(1), ctx);
    Map<String, Object> result = new LinkedHashMap<>();
    if (a.variant() != null) {
      result.put("variant", a.variant().id());
      result.put("config", a.variant().config());
    } else {
      result.put("variant", null);
      result.put("reason", a.reason());
    }
    out.println(Json.write(result));
    return 0;
  }

  private static DynamicConfig load(Parsed p, PrintStream err) {
    String file = p.positional.get(0);
    DynamicConfigOptions.Builder options = DynamicConfigOptions.builder();
    if (p.options.containsKey("--env")) {
      options.environment(p.options.get("--env"));
    }
    if (p.options.containsKey("--now")) {
      try {
        options.clock(
            java.time.Clock.fixed(
                java.time.Instant.parse(p.options.get("--now")), java.time.ZoneOffset.UTC));
      } catch (java.time.format.DateTimeParseException e) {
        throw new UsageException(
            "--now must be an ISO-8601 instant, got " + p.options.get("--now"));
      }
    }
    DynamicConfig config = DynamicConfig.create(options.build());
    if (config.sink().offer(read(file), -1, file) != OfferResult.APPLIED) {
      err.println(config.getState().lastError());
      return null;
    }
    return config;
  }

  private static EvaluationContext context(String json, String userId) {
    EvaluationContext.Builder b = EvaluationContext.builder();
    if (json != null) {
      if (!(json(json, "--context") instanceof Map<?, ?> m)) {
        throw new UsageException("--context must be a JSON object, got: " + json);
      }
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = (String) e.getKey();
        Object v = e.getValue();
        switch (k) {
          case "userId" -> b.userId(text(k, v));
          case "sessionId" -> b.sessionId(text(k, v));
          case "environment" -> b.environment(text(k, v));
          case "userRole" -> b.userRole(text(k, v));
          case "targetingKey" -> b.targetingKey(text(k, v));
          default -> b.attribute(k, v);
        }
      }
    }
    if (userId != null) {
      b.userId(userId);
    }
    return b.build();
  }

  private static String text(String key, Object v) {
    if (v != null && !(v instanceof String)) {
      throw new UsageException("--context: " + key + " must be a string, got " + Json.render(v));
    }
    return (String) v;
  }

  private static Object json(String text, String what) {
    try {
      return Json.read(text, what);
    } catch (DocumentException e) {
      throw new UsageException(what + " is not valid JSON: " + text);
    }
  }

  private static byte[] read(String file) {
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (IOException | RuntimeException e) {
      throw new FileProblem("cannot read " + file + ": " + e.getMessage());
    }
  }

  private record Parsed(List<String> positional, Map<String, String> options) {}

  private static Parsed parse(String[] args, int positionals, List<String> allowed) {
    List<String> pos = new ArrayList<>();
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--")) {
        if (!allowed.contains(a)) {
          throw new UsageException(args[0] + ": unknown option " + a);
        }
        if (i + 1 >= args.length) {
          throw new UsageException(args[0] + ": " + a + " needs a value");
        }
        opts.put(a, args[++i]);
      } else {
        pos.add(a);
      }
    }
    if (pos.size() != positionals) {
      throw new UsageException(
          args[0] + ": expected " + positionals + " argument(s), got " + pos.size());
    }
    return new Parsed(pos, opts);
  }

  private static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  private static final class FileProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FileProblem(String message) {
      super(message);
    }
  }
}
