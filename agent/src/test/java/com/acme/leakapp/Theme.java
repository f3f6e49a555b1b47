package com.acme.leakapp;

/** An application enum: a {@code @ConfigValue} return type and a scope attribute. */
public enum Theme {
  LIGHT,
  DARK
}
