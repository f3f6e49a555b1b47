package com.acme.leakapp;

/** An application record: a {@code @ConfigValue} return type converted from a JSON object. */
public record Limits(int max, String unit) {}
