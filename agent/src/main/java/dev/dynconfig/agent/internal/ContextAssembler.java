package dev.dynconfig.agent.internal;

import dev.dynconfig.EvaluationContext;
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
 */
final class ContextAssembler {
  private static final String[] SCOPE_KEYS = {
    "userId", "sessionId", "userRole", "environment", "targetingKey"
  };

  private final String mdcUserId;
  private final String mdcSessionId;
  private final String mdcUserRole;
  private final String[] mdcAttributes;
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
    boolean same =
        slot.context != null
            && slot.readers == readers
            && slot.scope == scope
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
      return slot.context;
    }
    slot.readers = readers;
    slot.scope = scope;
    slot.userId = userId;
    slot.sessionId = sessionId;
    slot.userRole = userRole;
    slot.context = build(scope, userId, sessionId, userRole, extras);
    return slot.context;
  }

  /**
   * The bucketing key of the context {@link #current} would build ({@link
   * EvaluationContext#bucketingKey()}: the user id, else the session id), reading only the sources
   * it needs and allocating nothing: one MDC read when the user id is in the MDC.
   *
   * @param scope {@code readers.scope()}, read once by the caller
   */
  String bucketingKey(ContextReaders readers, Map<String, Object> scope) {
    if (scope != null) {
      String user = text(scope.get("userId"), text(scope.get("targetingKey"), null));
      if (user != null) {
        return user;
      }
    }
    String user = readers.mdc(mdcUserId);
    if (user != null) {
      return user;
    }
    String session = scope == null ? null : text(scope.get("sessionId"), null);
    return session != null ? session : readers.mdc(mdcSessionId);
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
    if (scope != null) {
      userId = text(scope.get("userId"), text(scope.get("targetingKey"), userId));
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
        custom.isEmpty() ? null : Collections.unmodifiableMap(custom));
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
    ContextReaders readers;
    Map<String, Object> scope;
    String userId;
    String sessionId;
    String userRole;
    final String[] extras;
    EvaluationContext context;

    Slot(int extras) {
      this.extras = new String[extras];
    }
  }
}
