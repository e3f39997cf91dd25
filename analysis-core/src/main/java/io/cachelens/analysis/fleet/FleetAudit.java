package io.cachelens.analysis.fleet;

import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.audit.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The audits of many instances, of one service or many, merged into one report.
 *
 * @param audits the instances' audits, by service, host, pid and window start
 * @param services one row per service name, by name
 * @param prefixes one row per key prefix across the services, by writes without TTL descending,
 *     then reads plus writes descending, then prefix
 * @param findings the services' merged findings, in {@link ServiceAudit#FINDING_ORDER}, then by
 *     service
 */
public record FleetAudit(
    List<ServiceAudit> audits,
    List<FleetService> services,
    List<FleetPrefixRow> prefixes,
    List<FleetFinding> findings) {

  /** How many of the most recent minutes of connections opened a merged service keeps. */
  public static final int MAX_OPENS_PER_MINUTE = 24 * 60;

  /** Takes immutable copies of the lists. */
  public FleetAudit {
    audits = List.copyOf(audits);
    services = List.copyOf(services);
    prefixes = List.copyOf(prefixes);
    findings = List.copyOf(findings);
  }

  /**
   * Merges instances' audits; audits with the same service name are instances of one service.
   *
   * <p>Two audits with the same service, host, pid and window start are snapshots of one process
   * (the agent rewrites its cumulative audit): only the one with the latest window end is kept, so
   * a file collected twice is not counted twice; between two with the same window end, the one with
   * fewer {@linkplain ServiceAudit#skippedFindings skipped findings}.
   *
   * <p>Per service:
   *
   * <ul>
   *   <li>counts (totals, commands' counts and errors, prefixes' reads, writes, TTL counters and
   *       bytes, connections opened and closed, call sites by site) are summed;
   *   <li>the window runs from the earliest start to the latest end;
   *   <li>percentiles cannot be recomputed from the instances' percentiles, so they are
   *       approximated: a p99 is the highest of the instances' p99s (an upper bound of the merged
   *       p99), a p50 the mean of the instances' p50s weighted by their counts (commands for
   *       commands, reads plus writes for prefixes, closed connections for connection lifetimes and
   *       commands per connection), rounded; without any weight, the plain mean;
   *   <li>connections opened per minute are added up minute by minute, each instance's minutes
   *       placed by their whole minutes after the earliest instance's first minute, and the most
   *       recent {@value #MAX_OPENS_PER_MINUTE} minutes kept.
   * </ul>
   *
   * <p>Findings of one service with the same rule, prefix and {@linkplain
   * io.cachelens.analysis.audit.Finding#subject() subject} (their text evidence: the command, a hot
   * key, a churn's pattern) are merged into one, so that two commands' findings on one prefix stay
   * apart: the most severe instance's finding (the first instance in {@link #audits} order among
   * equals) gives the severity, message and recommendation, so the message's numbers are that
   * instance's. The evidence holds every key any of them had, combined key by key: whole numbers
   * that count something are summed; whole numbers whose key names a peak, percentile, average,
   * threshold, rate, share or duration (a word of the camel-case key such as {@code max}, {@code
   * p99}, {@code mean}, {@code threshold}, {@code per}, {@code share} or {@code millis}) are the
   * maximum, as are fractional numbers; text, being the subject, is the same in all. Call sites are
   * the union, the most severe instance's first. {@link FleetFinding#reportedBy} says how many
   * instances reported it (an instance with two such findings, say two storms from different call
   * sites, counts once).
   *
   * <p>Findings a reader skipped because this version does not know their rule or severity (an
   * audit from a newer agent) are not merged; {@link FleetService#skippedFindings} sums their
   * counts per service and reason, and {@link #headline()} warns of them.
   */
  public static FleetAudit merge(List<ServiceAudit> audits) {
    return FleetMerger.merge(audits);
  }

  /** How many instances' audits were merged. */
  public int instances() {
    return audits.size();
  }

  /** How many merged findings have {@code severity}. */
  public long findings(Severity severity) {
    return findings.stream().filter(finding -> finding.finding().severity() == severity).count();
  }

  /**
   * One line for a terminal: {@code 2 services, 3 instances, 4 findings (1 critical, 2 warning, 1
   * info)}, followed by {@link #skippedNote()} when findings were skipped.
   */
  public String headline() {
    Optional<String> note = skippedNote();
    return note.isEmpty() ? counts() : counts() + "; " + note.get();
  }

  /**
   * How many findings the merge left out because this version does not know their rule or severity.
   */
  public long skippedFindings() {
    long count = 0;
    for (FleetService service : services) {
      count += service.skippedFindingCount();
    }
    return count;
  }

  /**
   * When findings were skipped, a warning that says how many and why: {@code skipped 2 findings
   * this version does not know (rule CACHE_STAMPEDE: 2); merge with the newer CacheLens that wrote
   * them to see them}.
   */
  public Optional<String> skippedNote() {
    long skipped = skippedFindings();
    if (skipped == 0) {
      return Optional.empty();
    }
    Map<String, Long> reasons = new TreeMap<>();
    for (FleetService service : services) {
      service.skippedFindings().forEach((reason, count) -> reasons.merge(reason, count, Long::sum));
    }
    StringBuilder note =
        new StringBuilder("skipped ")
            .append(plural(skipped, "finding"))
            .append(" this version does not know (");
    String separator = "";
    for (Map.Entry<String, Long> reason : reasons.entrySet()) {
      note.append(separator).append(reason.getKey()).append(": ").append(reason.getValue());
      separator = ", ";
    }
    return Optional.of(
        note.append("); merge with the newer CacheLens that wrote them to see them").toString());
  }

  /** The headline without the skipped note. */
  String counts() {
    StringBuilder line =
        new StringBuilder()
            .append(plural(services.size(), "service"))
            .append(", ")
            .append(plural(instances(), "instance"))
            .append(", ")
            .append(plural(findings.size(), "finding"))
            .append(" (");
    for (Severity severity : Severity.values()) {
      if (severity.ordinal() > 0) {
        line.append(", ");
      }
      line.append(findings(severity)).append(' ').append(severity.label());
    }
    return line.append(')').toString();
  }

  private static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  /** The earliest service's window start; empty when there are no audits. */
  public Optional<Instant> windowStart() {
    return services.stream().map(FleetService::windowStart).min(Instant::compareTo);
  }

  /** The latest service's window end; empty when there are no audits. */
  public Optional<Instant> windowEnd() {
    return services.stream().map(FleetService::windowEnd).max(Instant::compareTo);
  }
}
