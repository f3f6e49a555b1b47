package dev.dynconfig.server.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A store the server keeps its document in besides the flag file (which is built in), shared by
 * every server that opens it: a database such as PostgreSQL. Found by {@link DocumentStoreProvider}
 * from {@code serve --store URL}.
 *
 * <p>The store owns the version: a write gets {@code current + 1} (or more, see {@link
 * WriteRequest#minVersion()}) inside the store's own transaction, so versions are global across
 * servers. The server learns of every newer version, whichever server wrote it, through the
 * listener given to {@link DocumentStoreProvider#open}.
 */
public interface DocumentStore extends AutoCloseable {
  /** What {@code /v1/health} calls the store ({@code postgresql}). */
  String kind();

  /** The newest version this server has seen; still served while the store is unreachable. */
  StoredDocument current();

  /** False while the store cannot take writes. */
  boolean available();

  /**
   * Runs {@code request} as one atomic write; completes after it is durable, with the new version.
   * Fails with {@link StoreUnavailableException} (nothing acknowledged), {@link
   * VersionConflictException}, or whatever the change threw (nothing changed).
   */
  CompletableFuture<StoredDocument> submit(WriteRequest request);

  /** At most {@code limit} accepted writes below {@code beforeVersion}, newest first. */
  CompletableFuture<List<HistoryEntry>> history(int limit, long beforeVersion);

  /** Every version above this one is in the history (the oldest kept entry's version - 1). */
  CompletableFuture<Long> historyCoveredFrom();

  /** Stops listening and releases connections. Idempotent. */
  @Override
  void close();
}
