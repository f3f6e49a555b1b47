package com.acme.itapp;

import dev.dynconfig.api.ConfigValue;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code @ConfigValue} methods of every common return type, then one of a record; prints each value
 * and a marker line after the common ones.
 */
public final class ConfigTypesApp {
  public enum Tier {
    FREE,
    PRO
  }

  public record Banner(String text, int priority) {}

  @ConfigValue(namespace = "types", key = "longs")
  static List<Long> longs() {
    return List.of();
  }

  @ConfigValue(namespace = "types", key = "regions")
  static Set<String> regions() {
    return Set.of();
  }

  @ConfigValue(namespace = "types", key = "limits")
  static Map<String, Integer> limits() {
    return Map.of();
  }

  @ConfigValue(namespace = "types", key = "tier")
  static Tier tier() {
    return Tier.FREE;
  }

  @ConfigValue(namespace = "types", key = "timeout")
  static Duration timeout() {
    return Duration.ZERO;
  }

  @ConfigValue(namespace = "types", key = "tags")
  static String[] tags() {
    return new String[0];
  }

  @ConfigValue(namespace = "types", key = "weights")
  static int[] weights() {
    return new int[0];
  }

  @ConfigValue(namespace = "types", key = "ratio")
  static double ratio() {
    return 0;
  }

  @ConfigValue(namespace = "types", key = "enabled")
  static boolean enabled() {
    return false;
  }

  @ConfigValue(namespace = "types", key = "badTier")
  static Tier badTier() {
    return Tier.FREE;
  }

  @ConfigValue(namespace = "types", key = "banner")
  static Banner banner() {
    return new Banner("none", 0);
  }

  private ConfigTypesApp() {}

  public static void main(String[] args) {
    System.out.println("longs=" + longs());
    System.out.println("regions=" + new TreeSet<>(regions()));
    System.out.println("limits=" + limits());
    System.out.println("tier=" + tier());
    System.out.println("timeout=" + timeout());
    System.out.println("tags=" + Arrays.toString(tags()));
    System.out.println("weights=" + Arrays.toString(weights()));
    System.out.println("ratio=" + ratio());
    System.out.println("enabled=" + enabled());
    System.out.println("badTier=" + badTier());
    System.out.println("common types done");
    System.out.println("banner=" + banner());
  }
}
