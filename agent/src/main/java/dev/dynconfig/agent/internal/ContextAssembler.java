package dev.dynconfig.agent.internal;

import dev.dynconfig.EvaluationContext;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link EvaluationContext} of the current call without any wiring in the application.
 * Per attribute, the first source that has a value wins: the {@code DynamicContext} scope, then the
 * application's SLF4J MDC (keys configurable), then nothing (the engine fills in its configured
 * environment).
 *
 * <p>Allocation-free in the steady state: each thread remembers the inputs it last saw (the scope
 * map and the MDC strings, compared by identity — MDC adapters hand back the instance that was put)
 * and the context built from them, and reuses that context while they are unchanged.
 *
 * <p>A pooled thread outlives the web applications it serves, so what it remembers must not keep
 * one alive: the readers (method handles into an application's {@code MDC}) are remembered weakly,
 * and so are the scope and context when they hold anything but JDK values (strings, numbers).
 */
final class ContextAssembler {
  private static final String[] SCOPE_KEYS = {
    "userId", "sessionId", "userRole", "environment", "targetingKey"
  };

  private final String mdcUserId;
  private final String mdcSessionId;
  private final String mdcUserRole;
  private final String[] mdcAttributes;
  private static final WeakReference<ContextReaders> NO_READERS = new WeakReference<>(null);

  private final ThreadLocal<Slot> slots;

  ContextAssembler(
      String mdcUserId, String mdcSessionId, String mdcUserRole, List<String> mdcAttributes) {
    this.mdcUserId = mdcUserId;
    this.mdcSessionId = mdcSessionId;
    this.mdcUserRole = mdcUserRole;
    this.mdcAttributes = mdcAttributes.toArray(new String[0]);
    int extras = this.mdcAttributes.length;
    this.slots = ThreadLocal.withInitial(() -> new Slot(extras));
  }

  /** The context for a call from a class whose loader has these {@code readers}. */
  EvaluationContext current(ContextReaders readers) {
    Slot slot = slots.get();
    Map<String, Object> scope = readers.scope();
    String userId = readers.mdc(mdcUserId);
    String sessionId = readers.mdc(mdcSessionId);
    String userRole = readers.mdc(mdcUserRole);
    Built built = slot.built();
    boolean same =
        built != null
            && slot.readers.get() == readers
            && built.scope == scope
            && slot.userId == userId
            && slot.sessionId == sessionId
            && slot.userRole == userRole;
    String[] extras = slot.extras;
    for (int i = 0; i < extras.length; i++) {
      String v = readers.mdc(mdcAttributes[i]);
      if (v != extras[i]) {
        extras[i] = v;
        same = false;
      }
    }
    if (same) {
      return built.context;
    }
    if (slot.readers.get() != readers) {
      slot.readers = new WeakReference<>(readers);
    }
    slot.userId = userId;
    slot.sessionId = sessionId;
    slot.userRole = userRole;
    built = new Built(scope, build(scope, userId, sessionId, userRole, extras));
    slot.remember(built, onlyJdkValues(scope));
    return built.context;
  }

  /** Whether every value of the scope is a JDK value that cannot reach an application's classes. */
  private static boolean onlyJdkValues(Map<String, Object> scope) {
    if (scope == null) {
      return true;
    }
    for (Object v : scope.values()) {
      if (!(v == null
          || v instanceof String
          || v instanceof Boolean
          || v instanceof Character
          || (v instanceof Number && v.getClass().getClassLoader() == null))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The bucketing key of the context {@link #current} would build, decided by the library's one
   * rule ({@link EvaluationContext#bucketingKey(String, String, String)}: the scope's {@code
   * targetingKey}, else the user id, else the session id), reading only the sources it needs and
   * allocating nothing.
   *
   * @param scope {@code readers.scope()}, read once by the caller
   */
  String bucketingKey(ContextReaders readers, Map<String, Object> scope) {
    // A part the rule does not reach (a user id when there is a targeting key) is not read.
    String targetingKey = scope == null ? null : text(scope.get("targetingKey"), null);
    String userId = targetingKey != null ? null : part(scope, "userId", readers, mdcUserId);
    String sessionId =
        targetingKey != null || userId != null
            ? null
            : part(scope, "sessionId", readers, mdcSessionId);
    return EvaluationContext.bucketingKey(targetingKey, userId, sessionId);
  }

  /** The scope's value of {@code key}, else the MDC's value of {@code mdcKey}. */
  private static String part(
      Map<String, Object> scope, String key, ContextReaders readers, String mdcKey) {
    String value = scope == null ? null : text(scope.get(key), null);
    return value != null ? value : readers.mdc(mdcKey);
  }

  /** The environment the context {@link #current} builds would name: the scope's, or null. */
  static String environment(Map<String, Object> scope) {
    return scope == null ? null : text(scope.get("environment"), null);
  }

  private EvaluationContext build(
      Map<String, Object> scope,
      String mdcUser,
      String mdcSession,
      String mdcRole,
      String[] extras) {
    Map<String, Object> custom = new LinkedHashMap<>();
    for (int i = 0; i < extras.length; i++) {
      if (extras[i] != null) {
        custom.put(mdcAttributes[i], extras[i]);
      }
    }
    String userId = mdcUser;
    String sessionId = mdcSession;
    String userRole = mdcRole;
    String environment = null;
    String targetingKey = null;
    if (scope != null) {
      targetingKey = text(scope.get("targetingKey"), null);
      userId = text(scope.get("userId"), userId);
      sessionId = text(scope.get("sessionId"), sessionId);
      userRole = text(scope.get("userRole"), userRole);
      environment = text(scope.get("environment"), null);
      for (Map.Entry<String, Object> e : scope.entrySet()) {
        if (!isScopeKey(e.getKey())) {
          custom.put(e.getKey(), e.getValue());
        }
      }
    }
    return EvaluationContext.of(
        userId,
        sessionId,
        environment,
        userRole,
        custom.isEmpty() ? null : Collections.unmodifiableMap(custom),
        targetingKey);
  }

  private static boolean isScopeKey(String key) {
    for (String k : SCOPE_KEYS) {
      if (k.equals(key)) {
        return true;
      }
    }
    return false;
  }

  private static String text(Object value, String fallback) {
    return value == null ? fallback : value.toString();
  }

  /** A context and the scope map it was built from. */
  private record Built(Map<String, Object> scope, EvaluationContext context) {}

  /** Where {@link #bucketingKey} looks, for log lines. */
  String bucketingKeySources() {
    return "looked up: DynamicContext userId, targetingKey and sessionId; MDC '"
        + mdcUserId
        + "' (mdc.userId) and '"
        + mdcSessionId
        + "' (mdc.sessionId)";
  }

  /** What one thread saw last. */
  private static final class Slot {
    WeakReference<ContextReaders> readers = NO_READERS;
    String userId;
    String sessionId;
    String userRole;
    final String[] extras;

    /** Strongly when it holds only JDK values, else weakly (see the class comment). */
    private Built strong;

    private WeakReference<Built> weak;

    Slot(int extras) {
      this.extras = new String[extras];
    }

    Built built() {
      Built b = strong;
      if (b == null && weak != null) {
        b = weak.get();
      }
      return b;
    }

    void remember(Built built, boolean onlyJdkValues) {
      strong = onlyJdkValues ? built : null;
      weak = onlyJdkValues ? null : new WeakReference<>(built);
    }
  }
}
