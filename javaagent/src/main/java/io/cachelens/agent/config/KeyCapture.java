package io.cachelens.agent.config;

/** How keys appear in exported telemetry. */
public enum KeyCapture {
  /**
   * As their inferred prefix pattern ({@code product:cache:*}); the default, so no key leaves the
   * process.
   */
  PREFIX,
  /** In full: only for environments where keys are not sensitive. */
  FULL
}
