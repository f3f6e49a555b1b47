package dev.dynconfig;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An A/B test: variants in document order, an allocation (percent per variant id, summing to at
 * most 100), a status ({@code draft}, {@code running}, {@code paused}, {@code completed}), an
 * optional [startDate, endDate) window and optional environments.
 */
public record AbTest(
    String id,
    String name,
    String status,
    List<TestVariant> variants,
    Map<String, Double> allocation,
    Instant startDate,
    Instant endDate,
    List<String> environments) {}
