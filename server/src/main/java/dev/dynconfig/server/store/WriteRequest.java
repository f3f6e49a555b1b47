package dev.dynconfig.server.store;

import java.util.Objects;

/**
 * One write and what the history records about it.
 *
 * @param principal who asked (admin token name, user)
 * @param source where from ({@code admin-api}, {@code import}, …)
 * @param description the change in words ({@code PUT flags/new-pricing})
 * @param ifMatch the version the writer last read ({@code If-Match}), or null for no check
 * @param minVersion the lowest version to store under (import keeps a document's own version when
 *     it is above the current one), or 0
 * @param change the change itself
 */
public record WriteRequest(
    String principal,
    String source,
    String description,
    Long ifMatch,
    long minVersion,
    DocumentChange change) {
  public WriteRequest {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(change, "change");
  }

  /** An unconditional write. */
  public static WriteRequest of(
      String principal, String source, String description, DocumentChange change) {
    return new WriteRequest(principal, source, description, null, 0, change);
  }

  public WriteRequest ifMatch(long version) {
    return new WriteRequest(principal, source, description, version, minVersion, change);
  }

  public WriteRequest atLeast(long version) {
    return new WriteRequest(principal, source, description, ifMatch, version, change);
  }
}
