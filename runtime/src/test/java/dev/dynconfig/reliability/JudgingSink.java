package dev.dynconfig.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.internal.source.SourceSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in engine for the transport tests: it accepts a document only when it is a JSON object
 * with a {@code flags} array and a version above the one it serves, and records everything it was
 * offered, applied, rejected, and every status change. "Going backwards" is recorded rather than
 * refused, so a test can assert it never happened.
 */
final class JudgingSink implements SourceSink {
  private static final ObjectMapper M = new ObjectMapper();

  private final List<Long> offered = new ArrayList<>();
  private final List<Long> applied = new ArrayList<>();
  private final List<Long> rejected = new ArrayList<>();
  private final List<ConnectionStatus> statuses = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private long current = -1;
  private String content;
  private int backwards;

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
    try {
      JsonNode n = M.readTree(bytes);
      if (n == null || !n.isObject() || !n.path("flags").isArray()) {
        rejected.add(version);
        return OfferResult.REJECTED;
      }
    } catch (IOException e) {
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

  synchronized List<Long> offered() {
    return List.copyOf(offered);
  }

  synchronized List<Long> applied() {
    return List.copyOf(applied);
  }

  synchronized List<Long> rejected() {
    return List.copyOf(rejected);
  }

  synchronized List<ConnectionStatus> statuses() {
    return List.copyOf(statuses);
  }

  synchronized ConnectionStatus lastStatus() {
    return statuses.isEmpty() ? null : statuses.get(statuses.size() - 1);
  }

  synchronized String lastError() {
    return errors.isEmpty() ? null : errors.get(errors.size() - 1);
  }

  synchronized List<String> errors() {
    return new ArrayList<>(errors);
  }

  synchronized String content() {
    return content;
  }

  synchronized int backwards() {
    return backwards;
  }
}
