package dev.dynconfig;

/** Receives {@link ConfigChangeEvent}s. A listener that throws does not affect others. */
@FunctionalInterface
public interface ConfigListener {
  void onChange(ConfigChangeEvent event);
}
