package dev.dynconfig.testagent;

import dev.dynconfig.bootstrap.Dispatcher;
import dev.dynconfig.shaded.engine.DynamicConfig;
import dev.dynconfig.shaded.engine.agent.internal.AgentHooks;

/**
 * The test agent's hooks into dynconfig's start ({@code AgentHooks}), acting out the {@link Fault}
 * given to {@link FaultAgent}. Compiled against the shaded {@code dynconfig.jar} (hence the
 * relocated names), so it exercises the agent exactly as shipped.
 */
public final class FaultInjection implements AgentHooks {
  private final Fault fault = FaultAgent.fault();

  @Override
  public void installing() {
    if (fault != null) {
      fault.installing();
    }
  }

  @Override
  public void engineStarting() {
    if (fault != null) {
      fault.beforeEngineStart();
    }
  }

  @Override
  public void engineStarted(DynamicConfig engine) {
    if (fault == null) {
      return;
    }
    Fault.report("TEST-ONLY fault injection is active: " + fault);
    if (fault.listenersThrow()) {
      engine.subscribeToConfig(
          null,
          null,
          event -> {
            throw new OutOfMemoryError(fault.message() + " (config listener)");
          });
      engine
          .introspection()
          .subscribeToSnapshots(
              info -> {
                throw new OutOfMemoryError(fault.message() + " (snapshot listener)");
              });
    } else if (fault.stallsFirstSwap()) {
      long millis = fault.stallMillis();
      boolean[] stalled = {false};
      engine
          .introspection()
          .subscribeToSnapshots(
              info -> {
                // Listeners run one at a time under the engine's lock, so no race on the flag.
                if (stalled[0]) {
                  return;
                }
                stalled[0] = true;
                Fault.report(
                    fault.message()
                        + ": the reload path to version "
                        + info.version()
                        + " stalls "
                        + (millis == Long.MAX_VALUE
                            ? "until the JVM exits"
                            : "for " + millis + " ms")
                        + " while holding the engine's lock");
                Fault.sleep(millis);
                Fault.report(fault.message() + ": the reload path stall is over");
              });
    }
  }

  @Override
  public Dispatcher dispatcher(Dispatcher agents) {
    return fault != null && fault.onDispatch() ? new FaultyDispatcher(agents, fault) : agents;
  }
}
