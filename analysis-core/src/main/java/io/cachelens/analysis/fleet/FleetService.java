package io.cachelens.analysis.fleet;

import io.cachelens.analysis.audit.ConnectionSummary;
import io.cachelens.analysis.summary.CommandSummary;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.analysis.summary.SummaryTotals;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

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
    ConnectionSummary connections) {

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
  }
}
