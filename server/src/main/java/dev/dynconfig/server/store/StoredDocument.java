package dev.dynconfig.server.store;

/**
 * One version of a document as the database holds it: the exact bytes served to clients.
 *
 * @param version the version (strictly increasing per document, across every server)
 * @param bytes the document, UTF-8 JSON with the version stamped in it
 */
public record StoredDocument(long version, byte[] bytes) {}
