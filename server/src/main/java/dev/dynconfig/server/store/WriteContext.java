package dev.dynconfig.server.store;

import java.util.List;

/**
 * What a {@link DocumentChange} may read and record inside its write transaction, consistent with
 * the locked current version (an {@code If-Match} check looks at the changes made after the
 * caller's version here, so a concurrent writer on another server cannot slip in between).
 */
public interface WriteContext {
  /** The history entries above {@code version}, newest first, without their documents. */
  List<HistoryEntry> historyAfter(long version) throws Exception;

  /** Every version above this one is in the history (the oldest kept entry's version - 1). */
  long historyCoveredFrom() throws Exception;

  /** Replaces the request's description in this write's history entry (e.g. its items, as JSON). */
  void describe(String change);
}
