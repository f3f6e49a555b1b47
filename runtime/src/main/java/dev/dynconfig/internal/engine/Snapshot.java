package dev.dynconfig.internal.engine;

import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.internal.document.Document;
import java.util.Map;

/**
 * One immutable configuration: the flags (document flags over flags registered from code), tests,
 * role ranks, overrides (as pre-built results) and runtime config. Swapped whole behind one
 * volatile reference; an evaluation reads that reference once, so it never sees two versions.
 */
final class Snapshot {
  final long version;
  final Document document;
  final Map<String, CompiledFlag> flags;
  final Map<String, CompiledTest> tests;
  final Map<String, Integer> roleRanks;
  final Map<String, FlagEvaluation> overrides;
  final Map<String, Object> overrideValues;

  /** Whether the document is in flagd's format (unknown keys are then reported as ERROR). */
  final boolean flagdDocument;

  /** {@code !overrides.isEmpty()}, as a field so the hot path needs no interface call for it. */
  final boolean hasOverrides;

  // The flags again, in an open-addressing table keyed by the identity of the (interned) key: the
  // evaluation fast path looks a literal key up with a few instructions and no String.equals, which
  // keeps its machine code small enough for the JIT to inline it into the caller. Keys that are
  // equal but not identical miss here and are found in `flags` by the general path.
  private final CompiledFlag[] byIdentity;
  private final int mask;

  final Map<String, Map<String, Object>> config;

  Snapshot(
      long version,
      Document document,
      Map<String, CompiledFlag> flags,
      Map<String, CompiledTest> tests,
      Map<String, Integer> roleRanks,
      Map<String, FlagEvaluation> overrides,
      Map<String, Object> overrideValues,
      Map<String, Map<String, Object>> config) {
    this.version = version;
    this.document = document;
    this.flagdDocument = document != null && document.format() == Document.Format.FLAGD;
    this.flags = flags;
    this.tests = tests;
    this.roleRanks = roleRanks;
    this.overrides = overrides;
    this.hasOverrides = !overrides.isEmpty();
    this.overrideValues = overrideValues;
    this.config = config;
    int size = Integer.highestOneBit(Math.max(4, flags.size() * 2) - 1) << 1;
    this.byIdentity = new CompiledFlag[size];
    this.mask = size - 1;
    for (CompiledFlag f : flags.values()) {
      int i = System.identityHashCode(f.key) & mask;
      while (byIdentity[i] != null) {
        i = (i + 1) & mask;
      }
      byIdentity[i] = f;
    }
  }

  /**
   * The flag whose (interned) key is this very String object, or null: then look in {@link #flags}.
   */
  CompiledFlag byIdentity(String key) {
    CompiledFlag[] t = byIdentity;
    int i = System.identityHashCode(key) & mask;
    for (CompiledFlag f; (f = t[i]) != null; i = (i + 1) & mask) {
      if (f.key == key) {
        return f;
      }
    }
    return null;
  }

  static Snapshot empty() {
    return new Snapshot(-1, null, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
  }
}
