package dev.dynconfig.store.postgresql;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.internal.source.SourceSink;
import java.util.ArrayList;
import java.util.List;

/** A stand-in engine: applies any newer version and records what it applied, in order. */
final class VersionRecorder implements SourceSink {
  private final List<Long> applied = new ArrayList<>();
  private final List<Long> offered = new ArrayList<>();
  private long current = -1;

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
    return OfferResult.APPLIED;
  }

  @Override
  public void status(ConnectionStatus status, String error) {}

  @Override
  public synchronized long currentVersion() {
    return current;
  }

  synchronized List<Long> applied() {
    return List.copyOf(applied);
  }
}
