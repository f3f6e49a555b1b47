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
  // The custom attributes are held in one of two forms: a map (attributeName == null), or, for the
  // common single-attribute context built with the Builder, inline in two fields (customAttributes
  // == null). The inline form means a per-request context is one small object with no map behind
  // it, which the JIT can scalar-replace entirely when evaluation inlines (see BENCHMARKS.md).
  private final Map<String, Object> customAttributes;
  private final String attributeName;
  private final Object attributeValue;

  private EvaluationContext(
      String userId,
      String sessionId,
      String environment,
      String userRole,
      Map<String, Object> customAttributes,
      String targetingKey) {
    this(userId, sessionId, environment, userRole, customAttributes, null, null, targetingKey);
  }

  private EvaluationContext(
      String userId,
      String sessionId,
      String environment,
      String userRole,
      Map<String, Object> customAttributes,
      String attributeName,
      Object attributeValue,
      String targetingKey) {
    this.targetingKey = targetingKey;
    this.userId = userId;
    this.sessionId = sessionId;
    this.environment = environment;
    this.userRole = userRole;
    this.customAttributes = customAttributes;
    this.attributeName = attributeName;
    this.attributeValue = attributeValue;
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
   * A context from explicit parts, with an explicit bucketing key ({@code targetingKey}:
   * OpenFeature's targeting key; null to bucket by userId, else sessionId). {@code
   * customAttributes} is used as given, not copied (pass null for none): adapters such as the
   * OpenFeature provider may pass a view that reads their own context lazily, as long as it does
   * not change during an evaluation.
   */
  public static EvaluationContext of(
      String userId,
      String sessionId,
      String environment,
      String userRole,
      Map<String, Object> customAttributes,
      String targetingKey) {
    return new EvaluationContext(
        userId,
        sessionId,
        environment,
        userRole,
        customAttributes == null ? Map.of() : customAttributes,
        targetingKey);
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
    return of(userId, sessionId, environment, userRole, customAttributes, null);
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
    return attributeName != null
        ? Collections.singletonMap(attributeName, attributeValue)
        : customAttributes;
  }

  /**
   * The value of one custom attribute, or null when it is absent (or present with a null value; see
   * {@link #hasAttribute}). Allocates nothing.
   */
  public Object attribute(String name) {
    if (attributeName != null) {
      // Identity first: names are usually literals on both sides, and then the JIT drops equals.
      return attributeName == name || attributeName.equals(name) ? attributeValue : null;
    }
    return customAttributes.get(name);
  }

  /** Whether a custom attribute of this name is present (possibly with a null value). */
  public boolean hasAttribute(String name) {
    if (attributeName != null) {
      return attributeName.equals(name);
    }
    return customAttributes.containsKey(name);
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
    return bucketingKey(targetingKey, userId, sessionId);
  }

  /**
   * The one rule users are bucketed by, for contexts and for callers that hold the parts without a
   * context (the agent's allocation-free path): {@code targetingKey}, else {@code userId}, else
   * {@code sessionId}, else null.
   */
  public static String bucketingKey(String targetingKey, String userId, String sessionId) {
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
        + customAttributes()
        + '}';
  }

  /** Builds an {@link EvaluationContext}. */
  public static final class Builder {
    private String targetingKey;
    private String userId;
    private String sessionId;
    private String environment;
    private String userRole;
    // The first attribute is kept inline; the map is created only for a second one, so that a
    // builder used for a one-attribute context allocates nothing the JIT cannot remove.
    private boolean hasInline;
    private String inlineName;
    private Object inlineValue;
    private Map<String, Object> attributes;

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
      if (attributes == null && name != null && (!hasInline || inlineName.equals(name))) {
        hasInline = true;
        inlineName = name;
        inlineValue = value;
      } else {
        toMap().put(name, value);
      }
      return this;
    }

    public Builder attributes(Map<String, ?> values) {
      if (!values.isEmpty()) {
        toMap().putAll(values);
      }
      return this;
    }

    private Map<String, Object> toMap() {
      if (attributes == null) {
        attributes = new LinkedHashMap<>();
        if (hasInline) {
          attributes.put(inlineName, inlineValue);
          hasInline = false;
          inlineName = null;
          inlineValue = null;
        }
      }
      return attributes;
    }

    public EvaluationContext build() {
      if (hasInline) {
        return new EvaluationContext(
            userId, sessionId, environment, userRole, null, inlineName, inlineValue, targetingKey);
      }
      return new EvaluationContext(
          userId,
          sessionId,
          environment,
          userRole,
          attributes == null || attributes.isEmpty()
              ? Map.of()
              : Collections.unmodifiableMap(new LinkedHashMap<>(attributes)),
          targetingKey);
    }
  }
}
