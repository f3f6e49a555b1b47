package dev.dynconfig;

import java.time.Instant;

/**
 * A snapshot of the engine's state, as in the seed's {@code getState()}.
 *
 * @param lastSyncedAt when the last document was accepted, or null
 * @param lastError the last problem (rejected document, connection failure), or null
 * @param version the version of the snapshot being served, or -1 before the first
 */
public record DynamicConfigState(
    boolean initialized,
    boolean syncing,
    Instant lastSyncedAt,
    ConnectionStatus connectionStatus,
    String lastError,
    long version) {}
