package dev.dynconfig;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who is asking: the user and session (the bucketing key is an explicit {@code targetingKey}, else
 * {@code userId}, else {@code sessionId}), the environment (null = the engine's configured one),
 * the user's role, and custom attributes (JSON values: String, Number, Boolean, List, Map, null)
 * for targeting rules.
 *
 * <p>Immutable. Creating one per request is cheap; evaluation never copies it.
 */
public final class EvaluationContext {
  private static final EvaluationContext EMPTY =
      new EvaluationContext(null, null, null, null, Map.of(), null);

  private final String targetingKey;
  private final String userId;
  private final String sessionId;
  private final String environment;
  private final String userRole;
  private final Map<String, Object> customAttributes;

  private EvaluationContext(
      String userId,
      String sessionId,
      String environment,
      String userRole,
      Map<String, Object> customAttributes,
      String targetingKey) {
    this.targetingKey = targetingKey;
    this.userId = userId;
    this.sessionId = sessionId;
    this.environment = environment;
    this.userRole = userRole;
    this.customAttributes = customAttributes;
  }

  /** A context with no user, session, role or attributes. */
  public static EvaluationContext empty() {
    return EMPTY;
  }

  /** A context for one user. */
  public static EvaluationContext ofUser(String userId) {
    return new EvaluationContext(userId, null, null, null, Map.of(), null);
  }

  /**
   * A context from explicit parts. {@code customAttributes} is used as given (not copied), so it
   * must not be changed afterwards; pass null for none.
   */
  public static EvaluationContext of(
      String userId,
      String sessionId,
      String environment,
      String userRole,
      Map<String, Object> customAttributes) {
    return new EvaluationContext(
        userId,
        sessionId,
        environment,
        userRole,
        customAttributes == null ? Map.of() : customAttributes,
        null);
  }

  public static Builder builder() {
    return new Builder();
  }

  public String userId() {
    return userId;
  }

  public String sessionId() {
    return sessionId;
  }

  /** The environment, or null to use the engine's configured environment. */
  public String environment() {
    return environment;
  }

  public String userRole() {
    return userRole;
  }

  /** Unmodifiable view of the custom attributes. */
  public Map<String, Object> customAttributes() {
    return customAttributes;
  }

  /**
   * An explicit bucketing key (OpenFeature's {@code targetingKey}), or null to bucket by {@code
   * userId}, else {@code sessionId}.
   */
  public String targetingKey() {
    return targetingKey;
  }

  /**
   * The key users are bucketed by: {@code targetingKey}, else {@code userId}, else {@code
   * sessionId}, else null.
   */
  public String bucketingKey() {
    return targetingKey != null ? targetingKey : userId != null ? userId : sessionId;
  }

  @Override
  public String toString() {
    return "EvaluationContext{"
        + (targetingKey == null ? "" : "targetingKey=" + targetingKey + ", ")
        + "userId="
        + userId
        + ", sessionId="
        + sessionId
        + ", environment="
        + environment
        + ", userRole="
        + userRole
        + ", customAttributes="
        + customAttributes
        + '}';
  }

  /** Builds an {@link EvaluationContext}. */
  public static final class Builder {
    private String targetingKey;
    private String userId;
    private String sessionId;
    private String environment;
    private String userRole;
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    private Builder() {}

    /** An explicit bucketing key, taking precedence over userId and sessionId. */
    public Builder targetingKey(String targetingKey) {
      this.targetingKey = targetingKey;
      return this;
    }

    public Builder userId(String userId) {
      this.userId = userId;
      return this;
    }

    public Builder sessionId(String sessionId) {
      this.sessionId = sessionId;
      return this;
    }

    public Builder environment(String environment) {
      this.environment = environment;
      return this;
    }

    public Builder userRole(String userRole) {
      this.userRole = userRole;
      return this;
    }

    public Builder attribute(String name, Object value) {
      attributes.put(name, value);
      return this;
    }

    public Builder attributes(Map<String, ?> values) {
      attributes.putAll(values);
      return this;
    }

    public EvaluationContext build() {
      return new EvaluationContext(
          userId,
          sessionId,
          environment,
          userRole,
          attributes.isEmpty()
              ? Map.of()
              : Collections.unmodifiableMap(new LinkedHashMap<>(attributes)),
          targetingKey);
    }
  }
}
