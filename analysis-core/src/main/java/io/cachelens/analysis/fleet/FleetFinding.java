package io.cachelens.analysis.fleet;

import io.cachelens.analysis.audit.Finding;
import java.util.List;
import java.util.Objects;

/**
 * A finding of one service, merged over the instances that reported it (see {@link
 * FleetAudit#merge} for how).
 *
 * @param service the service name
 * @param finding the merged finding
 * @param reportedBy how many of the service's instances reported it
 * @param instances how many instances the service has in the fleet
 * @param hosts the hosts of the instances that reported it, distinct and sorted
 */
public record FleetFinding(
    String service, Finding finding, int reportedBy, int instances, List<String> hosts) {

  /** Rejects missing parts and a count of reporters outside 1 to {@code instances}. */
  public FleetFinding {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(finding, "finding");
    if (reportedBy < 1 || reportedBy > instances) {
      throw new IllegalArgumentException(
          "reported by " + reportedBy + " of " + instances + " instances");
    }
    hosts = List.copyOf(hosts);
  }
}
