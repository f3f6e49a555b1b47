package dev.dynconfig.server;

import java.util.List;
import java.util.Optional;

/**
 * The store's record of its last accepted changes (bounded, oldest dropped first). A store calls
 * {@link #append} on its single writer, after the change is durable and before it is published, so
 * a client that sees a version can find its change here. Implementations: {@link FileChangeHistory}
 * (next to the flag file); other stores provide their own.
 */
interface ChangeHistory extends AutoCloseable {

  /** Records {@code change} (its id is ignored) and returns it with its assigned id. */
  Change append(Change change);

  /** Newest first: at most {@code limit} changes with an id below {@code beforeId}. */
  List<Change> list(int limit, long beforeId);

  Optional<Change> get(long id);

  /**
   * Every change producing a version above this one is in the history: the version the store
   * started from, or the previous version of the oldest change kept.
   */
  long coveredFrom();

  /**
   * The store serves {@code version} now without a recorded change leading to it (start-up, a file
   * edited while the server was down): changes up to it are unknown.
   */
  void startedAt(long version);

  @Override
  void close();
}
