package dev.dynconfig;

/** Why an evaluation produced its value: the seed's reasons plus flagd's. */
public enum Reason {
  /** The flag's default value (native), or flagd's default variant. */
  DEFAULT,
  /** Inside the flag's percentage rollout. */
  ROLLOUT,
  /** An override set from code, the CLI or JMX. */
  OVERRIDE,
  /** The flag's {@code expiresAt} has passed. */
  EXPIRED,
  /** The native flag's targeting rule matched. */
  TARGETING,
  /** flagd: a flag without targeting. */
  STATIC,
  /** flagd: the targeting rule chose a variant. */
  TARGETING_MATCH,
  /** flagd: the flag's state is DISABLED. */
  DISABLED,
  /** The evaluation failed; see the error code. */
  ERROR
}
