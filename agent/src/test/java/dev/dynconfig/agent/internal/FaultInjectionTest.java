package dev.dynconfig.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FaultInjectionTest {

  @Test
  void parse_knowsEveryDocumentedKind_andIgnoresUnknownOrMalformedOnes() {
    assertThat(FaultInjection.parse(null)).isNull();
    assertThat(FaultInjection.parse(" ")).isNull();
    assertThat(FaultInjection.parse("install").kind()).isEqualTo(FaultInjection.Kind.INSTALL);
    assertThat(FaultInjection.parse("throw").kind()).isEqualTo(FaultInjection.Kind.THROW);
    assertThat(FaultInjection.parse("evaluate").kind()).isEqualTo(FaultInjection.Kind.THROW);
    assertThat(FaultInjection.parse("error").kind()).isEqualTo(FaultInjection.Kind.ERROR);
    assertThat(FaultInjection.parse("slow:5").kind()).isEqualTo(FaultInjection.Kind.SLOW);
    assertThat(FaultInjection.parse("listenerOom").kind())
        .isEqualTo(FaultInjection.Kind.LISTENER_OOM);
    assertThat(FaultInjection.parse("swapStall").kind()).isEqualTo(FaultInjection.Kind.SWAP_STALL);
    assertThat(FaultInjection.parse("swapStall:100").kind())
        .isEqualTo(FaultInjection.Kind.SWAP_STALL);
    assertThat(FaultInjection.parse("engineStall:100").kind())
        .isEqualTo(FaultInjection.Kind.ENGINE_STALL);
    assertThat(FaultInjection.parse("engineFail").kind())
        .isEqualTo(FaultInjection.Kind.ENGINE_FAIL);
    assertThat(FaultInjection.parse("engineStall")).isNull();
    assertThat(FaultInjection.parse("slow")).isNull();
    assertThat(FaultInjection.parse("slow:soon")).isNull();
    assertThat(FaultInjection.parse("explode")).isNull();
  }

  @Test
  void beforeDispatch_throwsTheConfiguredThrowable() {
    assertThatThrownBy(() -> FaultInjection.parse("throw").beforeDispatch())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dynconfig.test.faultInjection=throw");
    assertThatThrownBy(() -> FaultInjection.parse("error").beforeDispatch())
        .isInstanceOf(StackOverflowError.class);
  }

  @Test
  void engineFail_throwsBeforeTheEngineStarts_otherFaultsDoNot() {
    assertThatThrownBy(() -> FaultInjection.parse("engineFail").beforeEngineStart())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dynconfig.test.faultInjection=engineFail");
    FaultInjection.parse("throw").beforeEngineStart(); // dispatch faults leave the start alone
  }

  @Test
  void slowDispatch_interrupted_returnsAndKeepsTheInterruptForTheApp() {
    Thread.currentThread().interrupt();
    try {
      FaultInjection.parse("slow:60000").beforeDispatch();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
