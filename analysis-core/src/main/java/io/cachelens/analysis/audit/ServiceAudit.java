package io.cachelens.analysis.audit;

import io.cachelens.analysis.summary.ServiceSummary;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The cache-misuse audit of one service: its summary (counts and latencies per command and prefix),
 * how it used connections, and the findings, most severe first.
 *
 * @param summary the foundation's summary
 * @param connections connection usage
 * @param findings what the rules found, ordered by severity, then rule, then prefix
 * @param skippedFindings findings a reader left out because this version does not know their rule
 *     or severity (an audit written by a newer agent), counted by reason such as {@code rule
 *     CACHE_STAMPEDE} or {@code severity notice}; empty for an audit the rules made
 */
public record ServiceAudit(
    ServiceSummary summary,
    ConnectionSummary connections,
    List<Finding> findings,
    Map<String, Long> skippedFindings) {

  /** The order findings are reported in. */
  public static final Comparator<Finding> FINDING_ORDER =
      Comparator.comparing(Finding::severity)
          .thenComparing(Finding::rule)
          .thenComparing(finding -> finding.prefix() == null ? "" : finding.prefix());

  /**
   * Rejects missing parts, sorts an immutable copy of the findings and takes an immutable copy of
   * the skipped counts, by reason.
   */
  public ServiceAudit {
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(connections, "connections");
    findings = findings.stream().sorted(FINDING_ORDER).toList();
    skippedFindings = Collections.unmodifiableMap(new TreeMap<>(skippedFindings));
  }

  /** An audit with nothing skipped. */
  public ServiceAudit(
      ServiceSummary summary, ConnectionSummary connections, List<Finding> findings) {
    this(summary, connections, findings, Map.of());
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
