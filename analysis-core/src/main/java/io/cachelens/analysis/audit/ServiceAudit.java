package io.cachelens.analysis.audit;

import io.cachelens.analysis.summary.ServiceSummary;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The cache-misuse audit of one service: its summary (counts and latencies per command and prefix),
 * how it used connections, and the findings, most severe first.
 *
 * @param summary the foundation's summary
 * @param connections connection usage
 * @param findings what the rules found, ordered by severity, then rule, then prefix
 */
public record ServiceAudit(
    ServiceSummary summary, ConnectionSummary connections, List<Finding> findings) {

  /** The order findings are reported in. */
  public static final Comparator<Finding> FINDING_ORDER =
      Comparator.comparing(Finding::severity)
          .thenComparing(Finding::rule)
          .thenComparing(finding -> finding.prefix() == null ? "" : finding.prefix());

  /** Rejects missing parts and sorts an immutable copy of the findings. */
  public ServiceAudit {
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(connections, "connections");
    findings = findings.stream().sorted(FINDING_ORDER).toList();
  }
}
