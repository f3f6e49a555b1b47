package dev.dynconfig.engine;

import dev.dynconfig.FlagEvaluation;
import dev.dynconfig.document.Document;
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
    this.flags = flags;
    this.tests = tests;
    this.roleRanks = roleRanks;
    this.overrides = overrides;
    this.overrideValues = overrideValues;
    this.config = config;
  }

  static Snapshot empty() {
    return new Snapshot(-1, null, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
  }
}
