package dev.dynconfig.bench.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  @Test
  void kind_sortsThreadsByTheirTruncatedLinuxNames() {
    assertThat(ThreadCpu.kind("dynconfig-net-1")).isEqualTo("network");
    assertThat(ThreadCpu.kind("dynconfig-serve")).isEqualTo("network"); // dynconfig-server-io-*
    assertThat(ThreadCpu.kind("dynconfig-store")).isEqualTo("store");
    assertThat(ThreadCpu.kind("dynconfig-cache")).isEqualTo("cache");
    assertThat(ThreadCpu.kind("C2 CompilerThre")).isEqualTo("jit");
    assertThat(ThreadCpu.kind("GC Thread#0")).isEqualTo("gc");
    assertThat(ThreadCpu.kind("FileSystemWatch")).isEqualTo("other");
  }
}
