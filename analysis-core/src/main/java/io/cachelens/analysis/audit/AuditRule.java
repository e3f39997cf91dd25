package io.cachelens.analysis.audit;

/** The audit's rules; {@link #name()} is the stable rule id written to reports. */
public enum AuditRule {
  /** Keys written and left without an expiry, per prefix. */
  NO_TTL_WRITES,
  /** Connections opened per request instead of taken from a pool or shared. */
  CONNECTION_CHURN,
  /** Commands that stall, wipe or reconfigure a server, and O(N) reads with large replies. */
  DANGEROUS_COMMAND,
  /** Values written at or above the write threshold, replies at or above the reply threshold. */
  BIG_VALUE,
  /** One key taking an outsized share of the service's commands. */
  HOT_KEY,
  /** Bursts of sequential single-key commands where MGET or a pipeline would do (N+1). */
  ROUND_TRIP_STORM,
  /** Client-side p99 latency of a command on a prefix above the threshold. */
  SLOW_COMMAND
}
