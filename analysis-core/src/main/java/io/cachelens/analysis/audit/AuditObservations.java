package io.cachelens.analysis.audit;

import io.cachelens.analysis.summary.ServiceSummary;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the audit rules look at: the summary, connection usage, and what the agent observed
 * beyond counts. Lists are bounded by the collectors that fill them.
 *
 * @param summary counts and latencies per command and prefix
 * @param connections connection usage
 * @param latencies latency per (command, prefix) pair, with the call sites of slow ones
 * @param dangerous uses of dangerous commands and O(N) reads with large replies
 * @param bigValues big writes and replies per prefix
 * @param hotKeys the most frequent keys among the sampled commands
 * @param hotKeySampled how many commands the hot-key sample holds
 * @param storms round-trip storms by command, prefix and call site
 * @param noTtlWriteSites by prefix, the call sites (most frequent first) of sampled writes that set
 *     no TTL when they were sent
 */
public record AuditObservations(
    ServiceSummary summary,
    ConnectionSummary connections,
    List<CommandLatency> latencies,
    List<DangerousUse> dangerous,
    List<BigValues> bigValues,
    List<HotKeyShare> hotKeys,
    long hotKeySampled,
    List<Storm> storms,
    Map<String, List<String>> noTtlWriteSites) {

  /** Rejects missing parts and takes immutable copies. */
  public AuditObservations {
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(connections, "connections");
    latencies = List.copyOf(latencies);
    dangerous = List.copyOf(dangerous);
    bigValues = List.copyOf(bigValues);
    hotKeys = List.copyOf(hotKeys);
    storms = List.copyOf(storms);
    Map<String, List<String>> sites = new LinkedHashMap<>();
    noTtlWriteSites.forEach((prefix, list) -> sites.put(prefix, List.copyOf(list)));
    noTtlWriteSites = Collections.unmodifiableMap(sites);
  }

  /** Observations without call sites of TTL-less writes. */
  public AuditObservations(
      ServiceSummary summary,
      ConnectionSummary connections,
      List<CommandLatency> latencies,
      List<DangerousUse> dangerous,
      List<BigValues> bigValues,
      List<HotKeyShare> hotKeys,
      long hotKeySampled,
      List<Storm> storms) {
    this(
        summary,
        connections,
        latencies,
        dangerous,
        bigValues,
        hotKeys,
        hotKeySampled,
        storms,
        Map.of());
  }

  /** Latency of one command on one prefix (null prefix: keyless commands). */
  public record CommandLatency(
      String command, String prefix, long count, long p99Micros, List<String> callSites) {
    /** Takes an immutable copy of the call sites. */
    public CommandLatency {
      callSites = List.copyOf(callSites);
    }
  }

  /**
   * A dangerous command, or an O(N) read whose replies were large ({@code largeReplies} > 0).
   *
   * @param command the command name, subcommand included ({@code CONFIG SET})
   * @param count how often the service sent it (for O(N) reads: how many replies were large)
   * @param maxReplyElements the largest reply's element count, or 0 when unknown
   * @param maxReplyBytes the largest reply's size in bytes (approximate), or 0 when unknown
   * @param largeReplyRead true for an O(N) read flagged for its reply size, false for a command
   *     dangerous in itself
   * @param callSites where the service sent it, most frequent first
   */
  public record DangerousUse(
      String command,
      long count,
      long maxReplyElements,
      long maxReplyBytes,
      boolean largeReplyRead,
      List<String> callSites) {
    /** Takes an immutable copy of the call sites. */
    public DangerousUse {
      callSites = List.copyOf(callSites);
    }
  }

  /** Big writes and replies on one prefix. */
  public record BigValues(
      String prefix, long bigWrites, long maxWriteBytes, long bigReplies, long maxReplyBytes) {}

  /** A frequently used key: {@code count} of {@link #hotKeySampled()} sampled commands. */
  public record HotKeyShare(String key, String prefix, long count, long error) {}

  /** Round-trip storms of one command on one prefix from one call site. */
  public record Storm(
      String command, String prefix, String callSite, long bursts, long commands, long longest) {}
}
