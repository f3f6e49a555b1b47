package dev.dynconfig.server.store;

/**
 * What a write does to the document, run inside the write's transaction while the document's row is
 * locked: it sees the committed current version and returns the next one. Throwing rolls the
 * transaction back and nothing changes (a validation failure, a refused edit, a conflict).
 */
@FunctionalInterface
public interface DocumentChange {
  /**
   * @param current the locked current document, or null when the document does not exist yet
   * @param nextVersion the version the result will be stored under (stamp it into the bytes)
   * @param context the history as of this transaction, and where to describe the change
   * @return the new document's bytes
   */
  byte[] apply(StoredDocument current, long nextVersion, WriteContext context) throws Exception;
}
