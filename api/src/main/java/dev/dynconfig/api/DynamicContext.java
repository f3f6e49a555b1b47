package dev.dynconfig.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An evaluation-context scope the application may open around a piece of work, so that flags and
 * A/B tests evaluated inside it see these attributes. It takes precedence over the SLF4J MDC and
 * the agent's configuration.
 *
 * <p>Recognised keys are {@code userId}, {@code sessionId}, {@code userRole}, {@code environment}
 * and {@code targetingKey}; every other key becomes a custom attribute. Scopes nest: an inner scope
 * sees the outer scope's attributes unless it replaces them.
 *
 * <pre>{@code
 * DynamicContext.withContext(Map.of("userId", user.id(), "plan", user.plan()),
 *     () -> checkout.run(order));
 * }</pre>
 */
public final class DynamicContext {
  private static final ThreadLocal<Map<String, Object>> CURRENT = new ThreadLocal<>();

  private DynamicContext() {}

  /** Runs {@code body} with {@code attributes} in scope and returns its result. */
  public static <T> T withContext(Map<String, ?> attributes, Supplier<T> body) {
    Map<String, Object> previous = CURRENT.get();
    Map<String, Object> merged = new LinkedHashMap<>();
    if (previous != null) {
      merged.putAll(previous);
    }
    if (attributes != null) {
      merged.putAll(attributes);
    }
    CURRENT.set(Collections.unmodifiableMap(merged));
    try {
      return body.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** Runs {@code body} with {@code attributes} in scope. */
  public static void runWithContext(Map<String, ?> attributes, Runnable body) {
    withContext(
        attributes,
        () -> {
          body.run();
          return null;
        });
  }

  /** The attributes in scope on this thread, or {@code null} when no scope is open. */
  public static Map<String, Object> current() {
    return CURRENT.get();
  }
}
