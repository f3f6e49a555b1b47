package dev.dynconfig.store.postgresql;

import dev.dynconfig.server.store.DocumentChange;
import dev.dynconfig.server.store.DocumentStore;
import dev.dynconfig.server.store.DocumentStoreProvider;
import dev.dynconfig.server.store.StoredDocument;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@code serve --store postgresql://host:5432/db?user=name}: the password comes from {@code
 * DYNCONFIG_DB_PASSWORD}, else pgjdbc's {@code .pgpass} lookup; the server waits up to 30 s for the
 * database at start and checks for missed notifications every 5 s.
 */
public final class PostgresStoreProvider implements DocumentStoreProvider {
  static final Duration SAFETY_POLL = Duration.ofSeconds(5);
  static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  @Override
  public boolean accepts(String url) {
    return url.startsWith("postgresql://") || url.startsWith("postgres://");
  }

  @Override
  public DocumentStore open(String url, DocumentChange initial, Consumer<StoredDocument> onNewer)
      throws Exception {
    return PostgresStore.open(
        PostgresLocation.parse(url, System.getenv("DYNCONFIG_DB_PASSWORD")),
        PostgresStore.DEFAULT_DOCUMENT,
        initial,
        onNewer,
        SAFETY_POLL,
        START_TIMEOUT);
  }
}
