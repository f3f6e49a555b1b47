package dev.dynconfig.server;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.internal.source.SourceSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A stand-in engine: applies any newer version, records every offer and status change. */
final class RecordingSink implements SourceSink {
  final List<Long> offered = new ArrayList<>();
  final List<Long> applied = new ArrayList<>();
  final List<ConnectionStatus> statuses = new ArrayList<>();
  volatile String lastError;
  volatile String lastContent;
  private long current;

  RecordingSink(long current) {
    this.current = current;
  }

  RecordingSink() {
    this(-1);
  }

  @Override
  public synchronized OfferResult offer(byte[] content, long version, String origin) {
    offered.add(version);
    if (version < current) {
      return OfferResult.STALE;
    }
    if (version == current) {
      return OfferResult.UNCHANGED;
    }
    current = version;
    applied.add(version);
    lastContent = new String(content, StandardCharsets.UTF_8);
    return OfferResult.APPLIED;
  }

  @Override
  public synchronized void status(ConnectionStatus status, String error) {
    statuses.add(status);
    lastError = error;
  }

  @Override
  public synchronized long currentVersion() {
    return current;
  }

  synchronized ConnectionStatus lastStatus() {
    return statuses.isEmpty() ? null : statuses.get(statuses.size() - 1);
  }

  synchronized List<Long> offeredCopy() {
    return List.copyOf(offered);
  }

  synchronized List<Long> appliedCopy() {
    return List.copyOf(applied);
  }
}
