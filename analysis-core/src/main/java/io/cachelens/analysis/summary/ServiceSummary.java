package io.cachelens.analysis.summary;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The immutable local summary of what one service did to Redis, as written to {@code
 * <service>.json} by {@link SummaryJson}.
 *
 * @param service the service name
 * @param host the host name
 * @param pid the process id
 * @param windowStart when the statistics began
 * @param windowEnd when the summary was taken
 * @param totals service-wide totals
 * @param commands per command name, by count descending, then name
 * @param prefixes per key prefix, by total commands descending, then prefix
 */
public record ServiceSummary(
    String service,
    String host,
    long pid,
    Instant windowStart,
    Instant windowEnd,
    SummaryTotals totals,
    List<CommandSummary> commands,
    List<PrefixSummary> prefixes) {

  /** Rejects missing parts and takes immutable copies of the lists. */
  public ServiceSummary {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(windowStart, "windowStart");
    Objects.requireNonNull(windowEnd, "windowEnd");
    Objects.requireNonNull(totals, "totals");
    commands = List.copyOf(commands);
    prefixes = List.copyOf(prefixes);
  }
}
