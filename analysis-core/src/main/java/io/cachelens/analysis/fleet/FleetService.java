package io.cachelens.analysis.fleet;

import io.cachelens.analysis.audit.ConnectionSummary;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.summary.CommandSummary;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.analysis.summary.SummaryTotals;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One service of the fleet: the audits of all its instances merged as {@link FleetAudit#merge}
 * describes.
 *
 * @param service the service name
 * @param hosts the hosts its instances ran on, distinct and sorted
 * @param instances how many instances' audits were merged
 * @param windowStart the earliest instance's window start
 * @param windowEnd the latest instance's window end
 * @param totals the instances' totals, summed
 * @param commands per command name, by count descending, then name
 * @param prefixes per key prefix, by reads plus writes descending, then prefix
 * @param connections the instances' connection usage, merged
 * @param skippedFindings findings left out of the merge because this version does not know their
 *     rule or severity, summed over the instances by reason ({@link ServiceAudit#skippedFindings})
 */
public record FleetService(
    String service,
    List<String> hosts,
    int instances,
    Instant windowStart,
    Instant windowEnd,
    SummaryTotals totals,
    List<CommandSummary> commands,
    List<PrefixSummary> prefixes,
    ConnectionSummary connections,
    Map<String, Long> skippedFindings) {

  /** Rejects missing parts and an empty service, and takes immutable copies of the lists. */
  public FleetService {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(windowStart, "windowStart");
    Objects.requireNonNull(windowEnd, "windowEnd");
    Objects.requireNonNull(totals, "totals");
    Objects.requireNonNull(connections, "connections");
    if (instances < 1) {
      throw new IllegalArgumentException("a service has at least one instance: " + instances);
    }
    hosts = List.copyOf(hosts);
    commands = List.copyOf(commands);
    prefixes = List.copyOf(prefixes);
    skippedFindings = Collections.unmodifiableMap(new TreeMap<>(skippedFindings));
  }

  /** A service none of whose findings were skipped. */
  public FleetService(
      String service,
      List<String> hosts,
      int instances,
      Instant windowStart,
      Instant windowEnd,
      SummaryTotals totals,
      List<CommandSummary> commands,
      List<PrefixSummary> prefixes,
      ConnectionSummary connections) {
    this(
        service,
        hosts,
        instances,
        windowStart,
        windowEnd,
        totals,
        commands,
        prefixes,
        connections,
        Map.of());
  }

  /** How many findings were skipped, for every reason. */
  public long skippedFindingCount() {
    long count = 0;
    for (long skipped : skippedFindings.values()) {
      count += skipped;
    }
    return count;
  }
}
