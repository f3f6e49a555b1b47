package dev.dynconfig.server;

import dev.dynconfig.server.store.WriteContext;
import java.util.List;
import java.util.Optional;

/**
 * What an {@code If-Match} {@link Precondition} reads inside a shared store's write transaction:
 * the changes committed after the caller's version, newest first, as of the locked row. Only what
 * the precondition asks is answered; it is never appended to.
 */
final class TransactionHistory implements ChangeHistory {
  private final WriteContext tx;
  private final long after;
  private List<Change> changes;

  TransactionHistory(WriteContext tx, long after) {
    this.tx = tx;
    this.after = after;
  }

  @Override
  public Change append(Change change) {
    throw new UnsupportedOperationException("the store records changes itself");
  }

  /** The changes after the caller's version (the only ones a precondition looks at). */
  @Override
  public List<Change> list(int limit, long beforeId) {
    if (changes == null) {
      try {
        changes = tx.historyAfter(after).stream().map(StoreHistory::toChange).toList();
      } catch (Exception e) {
        throw new IllegalStateException("cannot read the history: " + e.getMessage(), e);
      }
    }
    return changes.stream().filter(c -> c.id() < beforeId).limit(limit).toList();
  }

  @Override
  public Optional<Change> get(long id) {
    return list(Integer.MAX_VALUE, Long.MAX_VALUE).stream().filter(c -> c.id() == id).findFirst();
  }

  @Override
  public long coveredFrom() {
    try {
      return tx.historyCoveredFrom();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the history: " + e.getMessage(), e);
    }
  }

  @Override
  public void startedAt(long version) {}

  @Override
  public void close() {}
}
