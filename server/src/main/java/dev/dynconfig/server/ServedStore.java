package dev.dynconfig.server;

import java.util.concurrent.CompletableFuture;

/**
 * Where the server's document lives: the flag file ({@link FlagStore}) or a store shared by several
 * servers ({@link ExternalStore}). Every accepted write is one new version, published to the
 * server's stream clients after it is durable.
 */
interface ServedStore extends AutoCloseable {
  /** The version served now. */
  Snapshot current();

  /**
   * Applies {@code edit} to the current document, refusing it (409) when {@code precondition} (if
   * any) finds a conflicting change. Completes with the new snapshot, or exceptionally with {@link
   * AdminException} / {@code DocumentException} (nothing changed).
   */
  CompletableFuture<Snapshot> submit(
      Author author, String what, Precondition precondition, FlagStore.Edit edit);

  /** The accepted changes, newest first, as the console and {@code /v1/admin/history} show them. */
  ChangeHistory history();

  /** {@code file} or the shared store's kind ({@code postgresql}), for {@code /v1/health}. */
  String kind();

  /** False while writes cannot be stored (reads and streams go on with {@link #current()}). */
  boolean available();

  /** Where the document is, for logs (no secrets). */
  String describe();

  @Override
  void close();
}
