package dev.dynconfig.testagent;

import dev.dynconfig.bootstrap.Dispatcher;

/** The agent's dispatcher with a {@link Fault} acting before each of its answers. */
public final class FaultyDispatcher implements Dispatcher {
  private final Dispatcher agents;
  private final Fault fault;

  public FaultyDispatcher(Dispatcher agents, Fault fault) {
    this.agents = agents;
    this.fault = fault;
  }

  @Override
  public boolean toggle(int site) {
    fault.beforeDispatch();
    return agents.toggle(site);
  }

  @Override
  public int variant(int site) {
    fault.beforeDispatch();
    return agents.variant(site);
  }

  @Override
  public Object config(int site) {
    fault.beforeDispatch();
    return agents.config(site);
  }

  @Override
  public long variantStart(int site, int variant) {
    return agents.variantStart(site, variant);
  }

  @Override
  public void variantEnd(long start, int site, int variant) {
    agents.variantEnd(start, site, variant);
  }

  @Override
  public void variantFailed(int site, int variant) {
    agents.variantFailed(site, variant);
  }

  @Override
  public void controlStart(int site) {
    agents.controlStart(site);
  }

  @Override
  public void bodyEnd(int site) {
    agents.bodyEnd(site);
  }

  @Override
  public void bodyFailed(int site) {
    agents.bodyFailed(site);
  }

  @Override
  public void failed(int site, Throwable failure) {
    agents.failed(site, failure);
  }
}
