package dev.dynconfig.testagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynconfig.bootstrap.Dispatcher;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultTest {

  @Test
  void parse_knowsEveryKind_andRejectsMalformedOnes() {
    assertThat(Fault.parse(null)).isNull();
    assertThat(Fault.parse(" ")).isNull();
    assertThat(Fault.parse("install").kind()).isEqualTo(Fault.Kind.INSTALL);
    assertThat(Fault.parse("throw").kind()).isEqualTo(Fault.Kind.THROW);
    assertThat(Fault.parse("evaluate").kind()).isEqualTo(Fault.Kind.THROW);
    assertThat(Fault.parse("error").kind()).isEqualTo(Fault.Kind.ERROR);
    assertThat(Fault.parse("slow:5").kind()).isEqualTo(Fault.Kind.SLOW);
    assertThat(Fault.parse("listenerOom").kind()).isEqualTo(Fault.Kind.LISTENER_OOM);
    assertThat(Fault.parse("swapStall").kind()).isEqualTo(Fault.Kind.SWAP_STALL);
    assertThat(Fault.parse("swapStall").stallMillis()).isEqualTo(Long.MAX_VALUE);
    assertThat(Fault.parse("swapStall:100").kind()).isEqualTo(Fault.Kind.SWAP_STALL);
    assertThat(Fault.parse("swapStall:100").stallMillis()).isEqualTo(100);
    assertThat(Fault.parse("engineStall:100").kind()).isEqualTo(Fault.Kind.ENGINE_STALL);
    assertThat(Fault.parse("engineHold").kind()).isEqualTo(Fault.Kind.ENGINE_HOLD);
    assertThat(Fault.parse("engineFail").kind()).isEqualTo(Fault.Kind.ENGINE_FAIL);
    assertThat(Fault.parse("engineStall")).isNull();
    assertThat(Fault.parse("slow")).isNull();
    assertThat(Fault.parse("slow:soon")).isNull();
    assertThat(Fault.parse("explode")).isNull();
  }

  @Test
  void beforeDispatch_throwsTheConfiguredThrowable() {
    assertThatThrownBy(() -> Fault.parse("throw").beforeDispatch())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fault injected")
        .hasMessageContaining("throw");
    assertThatThrownBy(() -> Fault.parse("error").beforeDispatch())
        .isInstanceOf(StackOverflowError.class)
        .hasMessageContaining("fault injected");
  }

  @Test
  void install_failsTheAgentsStart_otherFaultsDoNot() {
    assertThatThrownBy(() -> Fault.parse("install").installing())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fault injected");
    Fault.parse("engineFail").installing();
  }

  @Test
  void engineFail_throwsBeforeTheEngineStarts_otherFaultsDoNot() {
    assertThatThrownBy(() -> Fault.parse("engineFail").beforeEngineStart())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("engineFail");
    Fault.parse("throw").beforeEngineStart(); // dispatch faults leave the start alone
  }

  @Test
  void slowDispatch_interrupted_returnsAndKeepsTheInterruptForTheApp() {
    Thread.currentThread().interrupt();
    try {
      Fault.parse("slow:60000").beforeDispatch();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void faultyDispatcher_failsTheThreeAnswers_andPassesEverythingElseToTheAgents() {
    List<String> calls = new ArrayList<>();
    Dispatcher agents =
        new Dispatcher() {
          @Override
          public boolean toggle(int site) {
            calls.add("toggle " + site);
            return false;
          }

          @Override
          public int variant(int site) {
            calls.add("variant " + site);
            return 2;
          }

          @Override
          public Object config(int site) {
            calls.add("config " + site);
            return "v";
          }

          @Override
          public void bodyEnd(int site) {
            calls.add("bodyEnd " + site);
          }

          @Override
          public void failed(int site, Throwable failure) {
            calls.add("failed " + site + " " + failure.getClass().getSimpleName());
          }
        };
    Dispatcher failing = new FaultyDispatcher(agents, Fault.parse("throw"));
    assertThatThrownBy(() -> failing.toggle(1)).hasMessageContaining("fault injected");
    assertThatThrownBy(() -> failing.variant(2)).hasMessageContaining("fault injected");
    assertThatThrownBy(() -> failing.config(3)).hasMessageContaining("fault injected");
    failing.bodyEnd(4);
    failing.failed(5, new IllegalStateException());
    assertThat(calls).containsExactly("bodyEnd 4", "failed 5 IllegalStateException");

    calls.clear();
    Dispatcher slow = new FaultyDispatcher(agents, Fault.parse("slow:0"));
    assertThat(slow.toggle(1)).isFalse();
    assertThat(slow.variant(2)).isEqualTo(2);
    assertThat(slow.config(3)).isEqualTo("v");
    assertThat(calls).containsExactly("toggle 1", "variant 2", "config 3");
  }
}
