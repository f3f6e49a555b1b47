package dev.dynconfig.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.server.store.DocumentChange;
import dev.dynconfig.server.store.DocumentStore;
import dev.dynconfig.server.store.DocumentStoreProvider;
import dev.dynconfig.server.store.StoreUnavailableException;
import dev.dynconfig.server.store.StoredDocument;
import dev.dynconfig.server.store.VersionConflictException;
import dev.dynconfig.server.store.WriteContext;
import dev.dynconfig.server.store.WriteRequest;
import java.time.Clock;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's document in a {@link DocumentStore} shared with other servers ({@code serve --store
 * postgresql://…}). Edits run inside the store's write transaction on the document the store holds
 * (not on this server's copy, which may be behind), are validated by the engine there, and are
 * published once committed; versions written by other servers arrive through the store's listener.
 */
final class ExternalStore implements ServedStore {
  private static final Logger log = LoggerFactory.getLogger(ExternalStore.class);
  private static final Logger audit = LoggerFactory.getLogger("dynconfig.audit");

  /** The answer to a write while the store cannot be reached (HTTP 503). */
  static final String UNAVAILABLE = "store unavailable";

  private final String origin;
  private final DocumentValidator validator;
  private final Consumer<Snapshot> publisher;
  private final Clock clock;
  private final StoreHistory history = new StoreHistory(this::store);
  private DocumentStore store;
  private volatile Snapshot current;

  private ExternalStore(
      String origin, DocumentValidator validator, Consumer<Snapshot> publisher, Clock clock) {
    this.origin = origin;
    this.validator = validator;
    this.publisher = publisher;
    this.clock = clock;
  }

  private DocumentStore store() {
    return store;
  }

  /**
   * Opens the store {@code url} names through the {@link DocumentStoreProvider} that accepts it.
   *
   * @throws IllegalArgumentException when no provider accepts the URL or it is malformed
   */
  static ExternalStore open(
      String url, DocumentValidator validator, Consumer<Snapshot> publisher, Clock clock)
      throws Exception {
    DocumentStoreProvider provider = providerFor(url);
    ExternalStore s = new ExternalStore("store", validator, publisher, clock);
    s.store = provider.open(url, s::initial, s::arrived);
    s.arrived(s.store.current());
    return s;
  }

  static DocumentStoreProvider providerFor(String url) {
    for (DocumentStoreProvider p :
        ServiceLoader.load(DocumentStoreProvider.class, ExternalStore.class.getClassLoader())) {
      if (p.accepts(url)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "no store for '"
            + url
            + "': use --store postgresql://host:5432/database?user=name, or --file flags.json");
  }

  /** Version 1 of a new store: the empty native document. */
  private byte[] initial(StoredDocument none, long version, WriteContext tx)
      throws DocumentException {
    ObjectNode empty = JsonNodeFactory.instance.objectNode();
    empty.putArray("flags");
    empty.putArray("tests");
    empty.putObject("config");
    byte[] bytes = FlagStore.serialize(DocumentShapes.stampVersion(empty, false, version));
    validator.validate(bytes, origin);
    return bytes;
  }

  /** Any newer version, ours or another server's: serve it and send it to the stream clients. */
  private synchronized void arrived(StoredDocument d) {
    Snapshot cur = current;
    if (cur != null && d.version() <= cur.version()) {
      return;
    }
    Snapshot s;
    try {
      validator.validate(d.bytes(), origin);
      s = snapshotOf(d);
    } catch (DocumentException e) {
      log.warn(
          "Version {} in the store is not a valid document, still serving version {}: {}",
          d.version(),
          cur == null ? "none" : cur.version(),
          e.getMessage());
      return;
    }
    current = s;
    if (cur != null) {
      try {
        publisher.accept(s);
      } catch (RuntimeException e) {
        log.warn("Broadcasting version {} failed", s.version(), e);
      }
    }
  }

  private Snapshot snapshotOf(StoredDocument d) throws DocumentException {
    ObjectNode tree = FlagStore.parseObject(d.bytes(), origin);
    return new Snapshot(d.version(), d.bytes(), tree, DocumentShapes.isFlagd(tree));
  }

  @Override
  public Snapshot current() {
    return current;
  }

  @Override
  public String kind() {
    return store.kind();
  }

  @Override
  public boolean available() {
    return store.available();
  }

  @Override
  public String describe() {
    return store.toString();
  }

  @Override
  public CompletableFuture<Snapshot> submit(
      Author author, String what, Precondition precondition, FlagStore.Edit edit) {
    return write(
        WriteRequest.of(
            author.principal(),
            author.source().wireName(),
            what,
            change(author, what, precondition, edit)),
        author.auditName(),
        what);
  }

  @Override
  public ChangeHistory history() {
    return history;
  }

  /**
   * Stores {@code document} as a whole, under its own version if that is above the store's ({@code
   * import}), else under the next one.
   */
  CompletableFuture<Snapshot> importDocument(Author author, ObjectNode document, long version) {
    FlagStore.Edit replace = (root, flagd) -> document.deepCopy();
    return write(
        WriteRequest.of(
                author.principal(),
                author.source().wireName(),
                "import",
                change(author, "import", null, replace))
            .atLeast(version),
        author.auditName(),
        "import");
  }

  /**
   * The edit as it runs inside the store's transaction: the {@code If-Match} check against the
   * changes committed after the caller's version (read in the same transaction), the edit on the
   * locked document, the engine's validation, and the history entry with the items changed.
   */
  private DocumentChange change(
      Author author, String what, Precondition precondition, FlagStore.Edit edit) {
    return (cur, next, tx) -> {
      if (precondition != null) {
        precondition.check(cur.version(), new TransactionHistory(tx, precondition.version()));
      }
      ObjectNode before = FlagStore.parseObject(cur.bytes(), origin);
      ObjectNode edited = edit.apply(before.deepCopy(), DocumentShapes.isFlagd(before));
      boolean flagd = DocumentShapes.isFlagd(edited);
      ObjectNode stamped = DocumentShapes.stampVersion(edited, flagd, next);
      byte[] bytes = FlagStore.serialize(stamped);
      validator.validate(bytes, origin);
      Change change =
          new Change(
              next,
              next,
              cur.version(),
              clock.instant(),
              author.principal(),
              author.source(),
              what,
              DocumentDiff.between(before, stamped));
      tx.describe(change.toJson().toString());
      return bytes;
    };
  }

  private CompletableFuture<Snapshot> write(WriteRequest request, String who, String what) {
    return store
        .submit(request)
        .handle(
            (d, err) -> {
              if (err == null) {
                audit.info("{} {}: version {}", who, what, d.version());
                arrived(d);
                try {
                  return snapshotOf(d); // this write's version, even if a newer one arrived
                } catch (DocumentException e) {
                  throw new CompletionException(e);
                }
              }
              Throwable t =
                  err instanceof CompletionException c && c.getCause() != null ? c.getCause() : err;
              if (t instanceof StoreUnavailableException) {
                throw new CompletionException(new AdminException(503, UNAVAILABLE));
              }
              if (t instanceof VersionConflictException v) {
                throw new CompletionException(new AdminException(412, v.getMessage()));
              }
              throw t instanceof CompletionException c ? c : new CompletionException(t);
            });
  }

  @Override
  public void close() {
    if (store != null) {
      store.close();
    }
  }
}
