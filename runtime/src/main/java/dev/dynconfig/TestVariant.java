package dev.dynconfig;

import java.util.Map;

/** One arm of an A/B test. {@code config} holds JSON values. */
public record TestVariant(String id, String name, boolean isControl, Map<String, Object> config) {}
