package com.acme.itapp;

import dev.dynconfig.api.Toggle;

/** A {@code @Toggle} on a rollout flag: its answer depends on who is asking. */
public class Rollouts {
  @Toggle(flag = "gradual", otherwise = "old")
  public String feature() {
    return "new";
  }

  public String old() {
    return "old";
  }
}
