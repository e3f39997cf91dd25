package io.cachelens.analysis.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The thresholds the audit rules fire on, each configurable as {@code cachelens.audit.<key>} with
 * the keys of {@link #DEFAULTS}. Immutable; {@link #with} returns a changed copy.
 */
public final class AuditThresholds {

  /** Every threshold by configuration key, with its default. */
  public static final Map<String, Long> DEFAULTS = defaultValues();

  private final Map<String, Long> values;

  private AuditThresholds(Map<String, Long> values) {
    this.values = values;
  }

  /** The defaults, documented in the README. */
  public static AuditThresholds defaults() {
    return new AuditThresholds(DEFAULTS);
  }

  private static Map<String, Long> defaultValues() {
    Map<String, Long> defaults = new LinkedHashMap<>();
    // Writes without TTL on one prefix in the window before it is a finding, and before critical.
    defaults.put("no_ttl_writes.min_writes", 10L);
    defaults.put("no_ttl_writes.critical_writes", 1_000L);
    // How long after a write an EXPIRE (or SET EX) still counts as giving it a TTL.
    defaults.put("no_ttl_writes.grace_millis", 2_000L);
    // Stack captures per second for the call sites of writes without TTL: any write may be one, so
    // fewer than for the rarer events below (a walk allocates several KB).
    defaults.put("no_ttl_writes.captures_per_second", 10L);
    // Churn: at least this many opens, at this average rate, of connections this short-lived and
    // with this few commands each.
    defaults.put("connection_churn.min_opened", 50L);
    defaults.put("connection_churn.opens_per_minute", 30L);
    defaults.put("connection_churn.critical_opens_per_minute", 600L);
    defaults.put("connection_churn.max_lifetime_millis", 5_000L);
    defaults.put("connection_churn.max_commands_per_connection", 20L);
    // Stack captures per second for call sites (connection opens, dangerous and slow commands).
    defaults.put("call_sites.captures_per_second", 200L);
    // O(N) reads whose reply had at least this many elements count as dangerous.
    defaults.put("dangerous_command.large_reply_elements", 1_000L);
    defaults.put("big_value.write_bytes", 100L * 1024);
    defaults.put("big_value.reply_bytes", 1024L * 1024);
    // A key taking at least this percentage of the sampled commands, once this many were sampled.
    defaults.put("hot_key.share_percent", 20L);
    defaults.put("hot_key.min_commands", 1_000L);
    // This many same-command, same-prefix single-key commands in a row on one thread, each sent
    // within max_gap_micros of the previous reply, make a round-trip storm.
    defaults.put("round_trip_storm.run_length", 20L);
    defaults.put("round_trip_storm.max_gap_micros", 2_000L);
    defaults.put("slow_command.p99_millis", 50L);
    defaults.put("slow_command.critical_p99_millis", 500L);
    defaults.put("slow_command.min_commands", 20L);
    return Collections.unmodifiableMap(defaults);
  }

  /** A copy with one threshold changed; rejects unknown keys and negative values. */
  public AuditThresholds with(String key, long value) {
    if (!DEFAULTS.containsKey(key)) {
      throw new IllegalArgumentException(
          "unknown audit threshold " + key + "; known: " + String.join(", ", DEFAULTS.keySet()));
    }
    if (value < 0) {
      throw new IllegalArgumentException(key + " must not be negative: " + value);
    }
    Map<String, Long> changed = new LinkedHashMap<>(values);
    changed.put(key, value);
    return new AuditThresholds(Collections.unmodifiableMap(changed));
  }

  /** The value of a threshold. */
  public long get(String key) {
    Long value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException("unknown audit threshold " + key);
    }
    return value;
  }

  @Override
  public String toString() {
    return "AuditThresholds" + values;
  }
}
