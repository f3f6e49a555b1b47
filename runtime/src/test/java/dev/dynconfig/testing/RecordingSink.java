package dev.dynconfig.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.internal.source.SourceSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A stand-in engine for source and transport tests. It applies a document whose version is above
 * the one it serves (a version of -1, "the transport has none", always applies) and that its
 * acceptance rule accepts (by default every document), and records every offer, application,
 * rejection and status change. Going backwards is counted rather than refused silently, so a test
 * can assert it never happened.
 */
public final class RecordingSink implements SourceSink {
  private final Predicate<byte[]> acceptable;
  private final List<Long> offered = new ArrayList<>();
  private final List<Long> applied = new ArrayList<>();
  private final List<Long> rejected = new ArrayList<>();
  private final List<ConnectionStatus> statuses = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private long current;
  private String content;
  private int backwards;

  /** Serving nothing yet, accepting every document. */
  public RecordingSink() {
    this(-1, content -> true);
  }

  /** Serving {@code current}, accepting every document. */
  public RecordingSink(long current) {
    this(current, content -> true);
  }

  /** Serving nothing yet, applying only documents {@code acceptable} accepts. */
  public RecordingSink(Predicate<byte[]> acceptable) {
    this(-1, acceptable);
  }

  /**
   * Applying only what looks like a flag document (a JSON object with a {@code flags} array): a
   * stand-in engine for tests that feed sources garbage.
   */
  public static RecordingSink judgingFlagDocuments() {
    ObjectMapper mapper = new ObjectMapper();
    return new RecordingSink(
        bytes -> {
          try {
            JsonNode n = mapper.readTree(bytes);
            return n != null && n.isObject() && n.path("flags").isArray();
          } catch (IOException e) {
            return false;
          }
        });
  }

  private RecordingSink(long current, Predicate<byte[]> acceptable) {
    this.current = current;
    this.acceptable = acceptable;
  }

  @Override
  public synchronized OfferResult offer(byte[] bytes, long version, String origin) {
    offered.add(version);
    if (version >= 0 && version < current) {
      backwards++; // the gate in front of us should have stopped this
      return OfferResult.STALE;
    }
    if (version >= 0 && version == current) {
      return OfferResult.UNCHANGED;
    }
    if (!acceptable.test(bytes)) {
      rejected.add(version);
      return OfferResult.REJECTED;
    }
    current = version;
    applied.add(version);
    content = new String(bytes, StandardCharsets.UTF_8);
    return OfferResult.APPLIED;
  }

  @Override
  public synchronized void status(ConnectionStatus status, String error) {
    statuses.add(status);
    errors.add(error);
  }

  @Override
  public synchronized long currentVersion() {
    return current;
  }

  /** Every version offered, in order. */
  public synchronized List<Long> offered() {
    return List.copyOf(offered);
  }

  /** Every version applied, in order. */
  public synchronized List<Long> applied() {
    return List.copyOf(applied);
  }

  /** Every version the acceptance rule rejected, in order. */
  public synchronized List<Long> rejected() {
    return List.copyOf(rejected);
  }

  /** Every status reported, in order. */
  public synchronized List<ConnectionStatus> statuses() {
    return List.copyOf(statuses);
  }

  public synchronized ConnectionStatus lastStatus() {
    return statuses.isEmpty() ? null : statuses.get(statuses.size() - 1);
  }

  /** The error of every status report (null where none), in order. */
  public synchronized List<String> errors() {
    return new ArrayList<>(errors);
  }

  public synchronized String lastError() {
    return errors.isEmpty() ? null : errors.get(errors.size() - 1);
  }

  /** The last document applied, or null. */
  public synchronized String content() {
    return content;
  }

  /** How many offers went below the version served. */
  public synchronized int backwards() {
    return backwards;
  }
}
