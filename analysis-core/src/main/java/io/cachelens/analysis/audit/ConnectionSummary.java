package io.cachelens.analysis.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How the service used connections during the window.
 *
 * @param opened connections opened
 * @param closed connections closed
 * @param lifetimeP50Millis median lifetime of the closed connections, in milliseconds
 * @param lifetimeP99Millis 99th percentile lifetime of the closed connections, in milliseconds
 * @param commandsPerConnectionP50 median number of the service's commands per closed connection
 * @param commandsPerConnectionP99 99th percentile number of commands per closed connection
 * @param opensPerMinuteStart the start of the first minute of {@code opensPerMinute}
 * @param opensPerMinute connections opened in each minute from {@code opensPerMinuteStart}, oldest
 *     first (bounded: the most recent minutes only)
 * @param callSites the service's code locations that opened connections, most frequent first
 * @param callSitesSampled how many opens had their stack captured (capture is rate-limited)
 */
public record ConnectionSummary(
    long opened,
    long closed,
    long lifetimeP50Millis,
    long lifetimeP99Millis,
    long commandsPerConnectionP50,
    long commandsPerConnectionP99,
    Instant opensPerMinuteStart,
    List<Long> opensPerMinute,
    List<CallSiteCount> callSites,
    long callSitesSampled) {

  /** A summary of a window without connection events. */
  public static ConnectionSummary none(Instant start) {
    return new ConnectionSummary(0, 0, 0, 0, 0, 0, start, List.of(), List.of(), 0);
  }

  /** Rejects missing parts and takes immutable copies of the lists. */
  public ConnectionSummary {
    Objects.requireNonNull(opensPerMinuteStart, "opensPerMinuteStart");
    opensPerMinute = List.copyOf(opensPerMinute);
    callSites = List.copyOf(callSites);
  }

  /** The busiest minute's opens. */
  public long peakOpensPerMinute() {
    long peak = 0;
    for (long opens : opensPerMinute) {
      peak = Math.max(peak, opens);
    }
    return peak;
  }
}
