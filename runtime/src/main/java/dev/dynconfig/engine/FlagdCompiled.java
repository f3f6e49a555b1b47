package dev.dynconfig.engine;

import dev.dynconfig.ErrorCode;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.Reason;
import dev.dynconfig.internal.document.FlagdFlag;
import dev.dynconfig.internal.document.FlagdFlag.VariantType;
import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.internal.json.Json;
import dev.dynconfig.internal.rules.Rule;
import dev.dynconfig.internal.rules.RuleShapes;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A flagd flag with flagd's semantics: DISABLED serves the caller's default; a flag whose targeting
 * does not compile serves the caller's default as PARSE_ERROR; no targeting serves the default
 * variant (STATIC); a targeting result names the variant (TARGETING_MATCH), null falls back to the
 * default variant (DEFAULT), an unknown name is an error (GENERAL); without a default variant the
 * caller's default is served.
 */
final class FlagdCompiled extends CompiledFlag {
  private static final Logger LOG = LoggerFactory.getLogger(FlagdCompiled.class);

  /** The results one variant can produce. */
  private record VariantResults(
      FlagEvaluation staticResult, FlagEvaluation match, FlagEvaluation byDefault) {}

  /** The flag's metadata and each variant's results, built before the flag's fast shape. */
  private record Variants(Map<String, Object> metadata, Map<String, VariantResults> byName) {
    static Variants of(FlagdFlag f, Map<String, Object> flagSetMetadata) {
      Map<String, Object> metadata = FlagMetadata.flagd(flagSetMetadata, f.metadata());
      Map<String, VariantResults> byName = new HashMap<>();
      for (Map.Entry<String, Object> e : f.variants().entrySet()) {
        String name = e.getKey();
        Object value = e.getValue();
        byName.put(
            name,
            new VariantResults(
                new FlagEvaluation(value, Reason.STATIC, name, null, null, metadata),
                new FlagEvaluation(value, Reason.TARGETING_MATCH, name, null, null, metadata),
                new FlagEvaluation(value, Reason.DEFAULT, name, null, null, metadata)));
      }
      return new Variants(metadata, byName);
    }
  }

  private final boolean enabled;
  private final VariantType type;
  private final Rule rule;
  private final Clock clock;
  private final int bucketingVersion;
  private final Map<String, VariantResults> variants;
  private final VariantResults defaultVariant;
  private final FlagEvaluation typeMismatchFalse;
  private final FlagEvaluation disabledNull;
  private final FlagEvaluation disabledFalse;
  private final FlagEvaluation disabledTrue;
  private final FlagEvaluation noDefaultNull;
  private final FlagEvaluation noDefaultFalse;
  private final FlagEvaluation noDefaultTrue;

  /** Why the targeting does not compile, for PARSE_ERROR results; null when it is fine. */
  private final String brokenMessage;

  private final FlagEvaluation brokenNull;
  private final FlagEvaluation brokenFalse;
  private final FlagEvaluation brokenTrue;
  private final AtomicBoolean ruleFailureLogged = new AtomicBoolean();

  /**
   * @param flagSetMetadata the document's top-level {@code metadata}, merged under the flag's own
   * @param broken why the flag's targeting does not compile (its JSON path and the problem), or
   *     null when it compiled into {@code rule}
   * @param bucketingVersion what the rule's {@code fractional} uses ({@code Bucketing.V1}/{@code
   *     V2}/{@code V3})
   */
  FlagdCompiled(
      FlagdFlag f,
      Object tree,
      Rule rule,
      FlagCounters counters,
      Clock clock,
      Map<String, Object> flagSetMetadata,
      DocumentException.Problem broken,
      int bucketingVersion) {
    this(f, tree, rule, counters, clock, broken, bucketingVersion, Variants.of(f, flagSetMetadata));
  }

  private FlagdCompiled(
      FlagdFlag f,
      Object tree,
      Rule rule,
      FlagCounters counters,
      Clock clock,
      DocumentException.Problem broken,
      int bucketingVersion,
      Variants variants) {
    super(
        f.key(),
        f,
        tree,
        counters,
        broken == null ? fastShape(f, rule, variants.byName(), bucketingVersion, counters) : null,
        variants.metadata());
    this.enabled = f.enabled();
    this.type = f.type();
    this.rule = rule;
    this.clock = clock;
    this.bucketingVersion = bucketingVersion;
    this.variants = variants.byName();
    this.defaultVariant = f.defaultVariant() == null ? null : this.variants.get(f.defaultVariant());
    this.typeMismatchFalse = typeMismatch(Boolean.FALSE);
    this.disabledNull = disabled(null);
    this.disabledFalse = disabled(Boolean.FALSE);
    this.disabledTrue = disabled(Boolean.TRUE);
    this.noDefaultNull = noDefault(null);
    this.noDefaultFalse = noDefault(Boolean.FALSE);
    this.noDefaultTrue = noDefault(Boolean.TRUE);
    this.brokenMessage =
        broken == null
            ? null
            : "the targeting of flag '"
                + key
                + "' does not compile ("
                + broken
                + "); serving the caller's default until the flag file is fixed";
    this.brokenNull = broken == null ? null : brokenResult(null);
    this.brokenFalse = broken == null ? null : brokenResult(Boolean.FALSE);
    this.brokenTrue = broken == null ? null : brokenResult(Boolean.TRUE);
  }

  @Override
  boolean contextFree() {
    return rule == null || !enabled; // flagd flags have no expiry; the rule is all that varies
  }

  @Override
  FlagEvaluation evaluate(
      EvaluationContext context, Object callerDefault, String environment, Snapshot snapshot) {
    if (!enabled) {
      return callerDefault == null
          ? disabledNull
          : callerDefault == Boolean.FALSE
              ? disabledFalse
              : callerDefault == Boolean.TRUE ? disabledTrue : disabled(callerDefault);
    }
    if (brokenMessage != null) {
      return callerDefault == null
          ? brokenNull
          : callerDefault == Boolean.FALSE
              ? brokenFalse
              : callerDefault == Boolean.TRUE ? brokenTrue : brokenResult(callerDefault);
    }
    if (callerDefault != null && VariantType.of(callerDefault) != type) {
      return callerDefault == Boolean.FALSE ? typeMismatchFalse : typeMismatch(callerDefault);
    }
    if (rule == null) {
      return defaultVariant != null
          ? defaultVariant.staticResult()
          : noDefaultResult(callerDefault);
    }
    Object result;
    ContextData data = ContextData.bind(context, key, environment, clock, bucketingVersion);
    try {
      result = rule.evaluate(data);
    } catch (RuntimeException e) {
      if (ruleFailureLogged.compareAndSet(false, true)) {
        LOG.warn(
            "Targeting rule of flag '{}' failed; serving the caller's default (logged once)",
            key,
            e);
      }
      return flagError(callerDefault, ErrorCode.GENERAL, "targeting rule failed: " + e);
    } finally {
      data.release();
    }
    if (result == null) {
      return defaultVariant != null ? defaultVariant.byDefault() : noDefaultResult(callerDefault);
    }
    String name;
    if (result instanceof String s) {
      name = s;
    } else if (result instanceof Boolean b) {
      // flagd matches boolean rule results against variants named "true"/"false".
      name = b ? "true" : "false";
    } else {
      return flagError(
          callerDefault,
          ErrorCode.GENERAL,
          "targeting of flag '"
              + key
              + "' returned "
              + Json.render(result)
              + ", not a variant name");
    }
    VariantResults chosen = variants.get(name);
    if (chosen == null) {
      return flagError(
          callerDefault,
          ErrorCode.GENERAL,
          "targeting of flag '"
              + key
              + "' chose variant \""
              + name
              + "\", which the flag does not define");
    }
    return chosen.match();
  }

  /**
   * The flag's shape, when it has one of the engine's inline shapes and answers as {@link
   * #evaluate} would for a caller default that is null or a Boolean (what the engine's inline path
   * admits): enabled, boolean variants (so no TYPE_MISMATCH), and no targeting with a default
   * variant (STATIC), a two-way {@code fractional} (ROLLOUT) or one attribute compared with a
   * string literal (ATTRIBUTE_EQUALS), each of whose results names a variant of the flag (or is
   * null with a default variant). Null (general) otherwise.
   */
  private static FastShape fastShape(
      FlagdFlag f,
      Rule rule,
      Map<String, VariantResults> variants,
      int bucketingVersion,
      FlagCounters counters) {
    if (!f.enabled() || f.type() != VariantType.BOOLEAN) {
      return null;
    }
    VariantResults byDefault = f.defaultVariant() == null ? null : variants.get(f.defaultVariant());
    if (rule == null) {
      return byDefault == null ? null : FastShape.constant(byDefault.staticResult(), counters);
    }
    FlagEvaluation nullResult = byDefault == null ? null : byDefault.byDefault();
    RuleShapes.TwoWayFractional split = RuleShapes.twoWayFractional(rule, f.key());
    if (split != null) {
      FlagEvaluation first = targeted(split.first(), variants, nullResult);
      FlagEvaluation second = targeted(split.second(), variants, nullResult);
      // Without a targeting key fractional may still read a custom attribute "targetingKey":
      // the full evaluation decides (null).
      return first == null || second == null
          ? null
          : FastShape.split(
              Split.fractional(split, bucketingVersion), first, second, nullResult, null, counters);
    }
    RuleShapes.AttributeTest test = RuleShapes.attributeTest(rule);
    if (test == null || !FastShape.isCustomAttribute(test.attribute())) {
      return null;
    }
    FlagEvaluation whenEqual = targeted(test.whenEqual(), variants, nullResult);
    FlagEvaluation otherwise = targeted(test.otherwise(), variants, nullResult);
    return whenEqual == null || otherwise == null
        ? null
        : FastShape.attribute(test, whenEqual, otherwise, null, counters);
  }

  /**
   * The result {@link #evaluate} returns when the targeting yields {@code value}, when that needs
   * no caller default: a variant's TARGETING_MATCH, or for null the default variant's DEFAULT
   * ({@code nullResult}); null for anything else (an error, or no default variant).
   */
  private static FlagEvaluation targeted(
      Object value, Map<String, VariantResults> variants, FlagEvaluation nullResult) {
    if (value == null) {
      return nullResult;
    }
    String name =
        value instanceof String s ? s : value instanceof Boolean b ? (b ? "true" : "false") : null;
    VariantResults chosen = name == null ? null : variants.get(name);
    return chosen == null ? null : chosen.match();
  }

  private FlagEvaluation noDefaultResult(Object callerDefault) {
    if (callerDefault == null) {
      return noDefaultNull;
    }
    if (callerDefault == Boolean.FALSE) {
      return noDefaultFalse;
    }
    if (callerDefault == Boolean.TRUE) {
      return noDefaultTrue;
    }
    return noDefault(callerDefault);
  }

  private FlagEvaluation typeMismatch(Object callerDefault) {
    return flagError(
        callerDefault,
        ErrorCode.TYPE_MISMATCH,
        "flag '"
            + key
            + "' has "
            + type.label()
            + " variants but the caller's default is "
            + callerDefault.getClass().getSimpleName());
  }

  private FlagEvaluation brokenResult(Object callerDefault) {
    return flagError(callerDefault, ErrorCode.PARSE_ERROR, brokenMessage);
  }

  private FlagEvaluation disabled(Object callerDefault) {
    return new FlagEvaluation(callerDefault, Reason.DISABLED, null, null, null, metadata);
  }

  private FlagEvaluation noDefault(Object callerDefault) {
    return new FlagEvaluation(callerDefault, Reason.DEFAULT, null, null, null, metadata);
  }
}
