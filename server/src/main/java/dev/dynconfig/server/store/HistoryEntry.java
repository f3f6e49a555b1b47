package dev.dynconfig.server.store;

import java.time.Instant;

/**
 * One accepted write as the history table holds it.
 *
 * @param version the version the write produced
 * @param principal who wrote it
 * @param source where from ({@code admin-api}, {@code import}, …)
 * @param change the change in words
 * @param at when it was committed (database clock)
 * @param before the document before, or null for the first version (or read without documents)
 * @param after the document after (null when read without documents, e.g. by {@link
 *     WriteContext#historyAfter})
 */
public record HistoryEntry(
    long version,
    String principal,
    String source,
    String change,
    Instant at,
    byte[] before,
    byte[] after) {}
