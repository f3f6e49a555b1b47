package dev.dynconfig.agent.internal;

import dev.dynconfig.BucketingVersion;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.Fallback;
import dev.dynconfig.RetryOptions;
import dev.dynconfig.SourceKind;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The agent's options: {@code -javaagent:dynconfig.jar=key=value,key=value}, each overridable by
 * the system property {@code dynconfig.<key>} and the environment variable {@code DYNCONFIG_<KEY>}.
 * Precedence, highest first: system property, environment variable, agent argument, default.
 * (System properties win because they are the most local and the easiest to set for one run; the
 * agent argument is usually baked into a start script.)
 *
 * <p>The environment variable name is the key in upper case with {@code .} and camel-case
 * boundaries turned into {@code _}: {@code retry.maxAttempts} → {@code
 * DYNCONFIG_RETRY_MAX_ATTEMPTS} (the form without the camel-case underscore, {@code
 * DYNCONFIG_RETRY_MAXATTEMPTS}, is accepted too).
 *
 * <p>Unknown keys and bad values never stop the agent: each is reported in {@link #problems()}
 * (key, value, what was expected, where it came from) and the default is used.
 */
public final class AgentOptions {

  /** The keys, in documentation order. */
  public static final List<String> KEYS =
      List.of(
          "file",
          "env",
          "source",
          "url",
          "token",
          "pollingInterval",
          "enableWebSocket",
          "cacheDuration",
          "cacheFile",
          "retry.maxAttempts",
          "retry.baseDelay",
          "retry.maxDelay",
          "fallback",
          "initTimeout",
          "bucketing",
          "mdc.userId",
          "mdc.sessionId",
          "mdc.userRole",
          "mdc.attributes",
          "jmx",
          "jmxDelay",
          "logLevel",
          "exposures",
          "app",
          "reportInterval");

  /**
   * Default of {@code jmxDelay}: long enough for a container started by {@code main} to install its
   * own MBeanServer or LogManager first, short enough for an operator attaching right after start.
   */
  static final java.time.Duration DEFAULT_JMX_DELAY = java.time.Duration.ofSeconds(2);

  /** Default of {@code reportInterval}. */
  static final java.time.Duration DEFAULT_REPORT_INTERVAL = java.time.Duration.ofSeconds(30);

  private final Map<String, String> raw = new LinkedHashMap<>();
  private final Map<String, String> origin = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  private DynamicConfigOptions engineOptions;
  private String mdcUserId = "userId";
  private String mdcSessionId = "sessionId";
  private String mdcUserRole = "userRole";
  private List<String> mdcAttributes = List.of();
  private boolean jmx = true;
  private boolean exposures = true;
  private String app;
  private Duration reportInterval = DEFAULT_REPORT_INTERVAL;
  private String logLevel = "info";

  private AgentOptions() {}

  /** Options of this JVM: the agent argument string plus system properties and environment. */
  public static AgentOptions resolve(String agentArgs) {
    return resolve(agentArgs, System::getProperty, System.getenv());
  }

  /** As {@link #resolve(String)} with explicit system properties and environment (for tests). */
  public static AgentOptions resolve(
      String agentArgs, Function<String, String> systemProperties, Map<String, String> env) {
    AgentOptions o = new AgentOptions();
    o.readAgentArgs(agentArgs);
    for (String key : KEYS) {
      String fromEnv = env.get(envName(key, true));
      if (fromEnv == null) {
        fromEnv = env.get(envName(key, false));
      }
      if (fromEnv != null) {
        o.put(key, fromEnv, "environment variable " + envName(key, true));
      }
      String fromProperty = systemProperties.apply("dynconfig." + key);
      if (fromProperty != null) {
        o.put(key, fromProperty, "system property dynconfig." + key);
      }
    }
    o.interpret();
    return o;
  }

  /** {@code retry.maxAttempts} → {@code DYNCONFIG_RETRY_MAX_ATTEMPTS} (or {@code _MAXATTEMPTS}). */
  static String envName(String key, boolean splitCamelCase) {
    StringBuilder sb = new StringBuilder("DYNCONFIG_");
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.') {
        sb.append('_');
      } else if (Character.isUpperCase(c) && splitCamelCase) {
        sb.append('_').append(c);
      } else {
        sb.append(Character.toUpperCase(c));
      }
    }
    return sb.toString();
  }

  private void readAgentArgs(String agentArgs) {
    if (agentArgs == null || agentArgs.isBlank()) {
      return;
    }
    for (String part : agentArgs.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        problems.add(
            "agent argument '"
                + part.trim()
                + "' is not key=value; expected e.g. -javaagent:dynconfig.jar=file=flags.json,env=production");
        continue;
      }
      String key = part.substring(0, eq).trim();
      String value = part.substring(eq + 1).trim();
      if (key.equals("environment")) {
        key = "env";
      }
      if (!KEYS.contains(key)) {
        problems.add("unknown agent option '" + key + "' (value '" + value + "'); known: " + KEYS);
        continue;
      }
      put(key, value, "agent argument");
    }
  }

  private void put(String key, String value, String from) {
    raw.put(key, value);
    origin.put(key, from);
  }

  private void interpret() {
    DynamicConfigOptions.Builder b = DynamicConfigOptions.builder();
    String env = raw.get("env");
    if (env != null && !env.isBlank()) {
      b.environment(env);
    }
    String file = raw.get("file");
    if (file != null && !file.isBlank()) {
      b.file(Path.of(file));
    }
    java.util.List<URI> urls = uris("url");
    if (!urls.isEmpty()) {
      try {
        b.urls(urls);
      } catch (IllegalArgumentException e) {
        bad("url", "URLs of one scheme (" + e.getMessage() + ")");
      }
    }
    String token = raw.get("token");
    if (token != null && !token.isBlank()) {
      b.token(token);
    }
    Duration d;
    if ((d = duration("pollingInterval", false)) != null) {
      b.pollingInterval(d);
    }
    Boolean webSocket = bool("enableWebSocket");
    if (webSocket != null) {
      b.enableWebSocket(webSocket);
    }
    if ((d = duration("cacheDuration", true)) != null) {
      b.cacheDuration(d);
    }
    String cacheFile = raw.get("cacheFile");
    if (cacheFile != null && !cacheFile.isBlank()) {
      b.cacheFile(Path.of(cacheFile));
    }
    RetryOptions retry = RetryOptions.DEFAULT;
    Integer attempts = positiveInt("retry.maxAttempts");
    Duration base = duration("retry.baseDelay", true);
    Duration max = duration("retry.maxDelay", true);
    try {
      retry =
          new RetryOptions(
              attempts != null ? attempts : retry.maxAttempts(),
              base != null ? base : retry.baseDelay(),
              max != null ? max : retry.maxDelay());
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage() + "; using the default retry " + RetryOptions.DEFAULT);
    }
    b.retry(retry);
    Fallback fallback = enumValue("fallback", Fallback.class);
    if (fallback != null) {
      b.fallback(fallback);
    }
    if ((d = duration("initTimeout", true)) != null) {
      b.initTimeout(d);
    }
    BucketingVersion bucketing = enumValue("bucketing", BucketingVersion.class);
    if (bucketing != null) {
      b.bucketing(bucketing);
    }
    Boolean jmxValue = bool("jmx");
    jmx = jmxValue == null || jmxValue;
    b.registerJmx(jmx);
    // Never register from premain by default: creating the platform MBeanServer (and through it
    // the LogManager) before the application would break containers that install their own.
    Duration jmxDelay = duration("jmxDelay", true);
    b.jmxRegistrationDelay(jmxDelay != null ? jmxDelay : DEFAULT_JMX_DELAY);
    SourceKind source = enumValue("source", SourceKind.class);
    if (source == null && !urls.isEmpty() && file == null) {
      // A url alone means "a dynconfig server": the WebSocket unless it was switched off.
      source = webSocket == null || webSocket ? SourceKind.WEBSOCKET : SourceKind.REMOTE;
    }
    if (source != null) {
      b.source(source);
    }
    mdcUserId = text("mdc.userId", mdcUserId);
    mdcSessionId = text("mdc.sessionId", mdcSessionId);
    mdcUserRole = text("mdc.userRole", mdcUserRole);
    String attributes = raw.get("mdc.attributes");
    if (attributes != null && !attributes.isBlank()) {
      List<String> names = new ArrayList<>();
      for (String name : attributes.split("[|;]")) {
        if (!name.isBlank()) {
          names.add(name.trim());
        }
      }
      mdcAttributes = Collections.unmodifiableList(names);
    }
    Boolean exposuresValue = bool("exposures");
    exposures = exposuresValue == null || exposuresValue;
    app = text("app", null);
    Duration interval = duration("reportInterval", false);
    if (interval != null) {
      reportInterval = interval;
    }
    String level = raw.get("logLevel");
    if (level != null) {
      String l = level.trim().toLowerCase(Locale.ROOT);
      if (List.of("trace", "debug", "info", "warn", "error", "off").contains(l)) {
        logLevel = l;
      } else {
        bad("logLevel", "one of trace, debug, info, warn, error, off");
      }
    }
    try {
      engineOptions = b.build();
    } catch (IllegalArgumentException e) {
      // e.g. source=file without a file: start with no source rather than not at all.
      problems.add(e.getMessage() + "; starting with no source (flags use their code defaults)");
      engineOptions = b.source(SourceKind.NONE).build();
    }
  }

  private String text(String key, String fallback) {
    String v = raw.get(key);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  /** Several URLs separated by {@code |} (equivalent servers); empty when unset or bad. */
  private java.util.List<URI> uris(String key) {
    String v = raw.get(key);
    if (v == null || v.isBlank()) {
      return java.util.List.of();
    }
    java.util.List<URI> out = new java.util.ArrayList<>();
    for (String part : v.split("\\|")) {
      URI u = uri(key, part);
      if (u == null) {
        return java.util.List.of();
      }
      out.add(u);
    }
    return out;
  }

  private URI uri(String key, String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      URI uri = URI.create(v.trim());
      if (uri.getScheme() == null) {
        bad(key, "an absolute URL such as ws://host:8080/v1/stream or http://host:8080/v1/flags");
        return null;
      }
      return uri;
    } catch (IllegalArgumentException e) {
      bad(key, "a URL (" + e.getMessage() + ")");
      return null;
    }
  }

  private Boolean bool(String key) {
    String v = raw.get(key);
    if (v == null) {
      return null;
    }
    switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true":
      case "yes":
      case "on":
        return true;
      case "false":
      case "no":
      case "off":
        return false;
      default:
        bad(key, "true or false");
        return null;
    }
  }

  private Integer positiveInt(String key) {
    String v = raw.get(key);
    if (v == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    bad(key, "a whole number >= 1");
    return null;
  }

  private <E extends Enum<E>> E enumValue(String key, Class<E> type) {
    String v = raw.get(key);
    if (v == null || v.isBlank()) {
      return null;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v.trim())) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT));
    }
    bad(key, "one of " + String.join(", ", names));
    return null;
  }

  private Duration duration(String key, boolean zeroAllowed) {
    String v = raw.get(key);
    if (v == null || v.isBlank()) {
      return null;
    }
    Duration d = parseDuration(v.trim());
    if (d == null || d.isNegative() || (!zeroAllowed && d.isZero())) {
      bad(
          key,
          "a duration "
              + (zeroAllowed ? ">= 0" : "> 0")
              + " such as 500ms, 30s, 5m, 1h, PT30S, or a number of milliseconds");
      return null;
    }
    return d;
  }

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, ISO-8601 {@code PT30S}, or plain ms. */
  static Duration parseDuration(String v) {
    try {
      String s = v.toLowerCase(Locale.ROOT);
      if (s.startsWith("pt") || s.startsWith("p")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
      }
      if (s.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1).trim()));
      }
      if (s.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1).trim()));
      }
      if (s.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1).trim()));
      }
      return Duration.ofMillis(Long.parseLong(s));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void bad(String key, String expected) {
    problems.add(
        "option '"
            + key
            + "' = '"
            + raw.get(key)
            + "' (from "
            + origin.get(key)
            + ") is not valid: expected "
            + expected
            + "; ignored");
  }

  /** What the engine is started with. */
  public DynamicConfigOptions engineOptions() {
    return engineOptions;
  }

  /** MDC key read as the user id (default {@code userId}). */
  public String mdcUserId() {
    return mdcUserId;
  }

  /** MDC key read as the session id (default {@code sessionId}). */
  public String mdcSessionId() {
    return mdcSessionId;
  }

  /** MDC key read as the user role (default {@code userRole}). */
  public String mdcUserRole() {
    return mdcUserRole;
  }

  /** Extra MDC keys passed as custom attributes of the same name. */
  public List<String> mdcAttributes() {
    return mdcAttributes;
  }

  /** Whether the JMX MBeans are registered (default true). */
  /** Whether {@code @Variant} and rollout {@code @Toggle} calls are counted per branch. */
  public boolean exposures() {
    return exposures;
  }

  /** The {@code app} option (the application's name in fleet reports), or null. */
  public String app() {
    return app;
  }

  /** How often a client reports its sites and counters to the server (jittered). */
  public Duration reportInterval() {
    return reportInterval;
  }

  public boolean jmx() {
    return jmx;
  }

  /** trace, debug, info, warn, error or off. */
  public String logLevel() {
    return logLevel;
  }

  /** Human-readable problems found while reading the options (empty when all is well). */
  public List<String> problems() {
    return Collections.unmodifiableList(problems);
  }

  @Override
  public String toString() {
    return engineOptions
        + " mdc{userId="
        + mdcUserId
        + ", sessionId="
        + mdcSessionId
        + ", userRole="
        + mdcUserRole
        + ", attributes="
        + mdcAttributes
        + "} logLevel="
        + logLevel;
  }
}
