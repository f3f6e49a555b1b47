package dev.dynconfig.server.store;

import java.util.function.Consumer;

/**
 * Opens a {@link DocumentStore} for the URLs it understands; registered as a {@link
 * java.util.ServiceLoader} service ({@code META-INF/services/dev.dynconfig.server.store
 * .DocumentStoreProvider}), so the server does not depend on any database driver.
 */
public interface DocumentStoreProvider {
  /** Whether {@code url} is for this provider ({@code postgresql://…}). */
  boolean accepts(String url);

  /**
   * Connects, prepares the schema, creates the document with {@code initial} when it does not exist
   * yet, and starts listening for changes.
   *
   * @param onNewer receives every version newer than the one read at start, in increasing order
   * @throws IllegalArgumentException when {@code url} is malformed (the message says how to fix it)
   * @throws StoreUnavailableException when the store cannot be reached
   */
  DocumentStore open(String url, DocumentChange initial, Consumer<StoredDocument> onNewer)
      throws Exception;
}
