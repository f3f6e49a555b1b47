package dev.dynconfig.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynconfig.server.store.DocumentStore;
import dev.dynconfig.server.store.HistoryEntry;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The history of a shared store, as the console and {@code /v1/admin/history} read it: the store's
 * own table, written in each write's transaction by whichever server took it, so every server shows
 * the same history. A change's id is its version. Reads wait at most 5 s for the store; while it is
 * unreachable the history reads as empty.
 */
final class StoreHistory implements ChangeHistory {
  private static final long WAIT_SECONDS = 5;
  private final Supplier<DocumentStore> store;

  StoreHistory(Supplier<DocumentStore> store) {
    this.store = store;
  }

  @Override
  public Change append(Change change) {
    return change.withId(change.version()); // the store wrote it in the same transaction
  }

  @Override
  public List<Change> list(int limit, long beforeId) {
    return await(store.get().history(limit, beforeId), List.<HistoryEntry>of()).stream()
        .map(StoreHistory::toChange)
        .toList();
  }

  @Override
  public Optional<Change> get(long id) {
    return list(1, id + 1).stream().filter(c -> c.id() == id).findFirst();
  }

  @Override
  public long coveredFrom() {
    return await(store.get().historyCoveredFrom(), Long.MAX_VALUE);
  }

  @Override
  public void startedAt(long version) {
    // The store's history is complete: every version was written through it.
  }

  @Override
  public void close() {}

  /** The console's form of an entry: the JSON the writing server recorded, else the bare facts. */
  static Change toChange(HistoryEntry e) {
    try {
      JsonNode n = FlagStore.MAPPER.readTree(e.change());
      if (n != null && n.isObject() && n.has("items")) {
        return Change.fromJson(n).withId(e.version());
      }
    } catch (IOException | RuntimeException notJson) {
      // written by an import or at creation: a description, not a change record
    }
    return new Change(
        e.version(),
        e.version(),
        e.version() - 1,
        e.at(),
        e.principal(),
        Source.parse(e.source()),
        e.change(),
        List.of());
  }

  private static <T> T await(CompletableFuture<T> f, T whenUnavailable) {
    try {
      return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return whenUnavailable;
    } catch (ExecutionException | TimeoutException e) {
      return whenUnavailable;
    }
  }
}
