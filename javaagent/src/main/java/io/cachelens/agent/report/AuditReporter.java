package io.cachelens.agent.report;

import io.cachelens.agent.AgentLog;
import io.cachelens.agent.audit.AuditCollector;
import io.cachelens.agent.sink.CacheLensSink;
import io.cachelens.analysis.audit.AuditObservations;
import io.cachelens.analysis.audit.AuditObservations.CommandLatency;
import io.cachelens.analysis.audit.AuditRules;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.audit.Severity;
import io.cachelens.analysis.command.CommandCatalog;
import io.cachelens.analysis.command.CommandInfo;
import io.cachelens.analysis.report.AuditHtml;
import io.cachelens.analysis.report.AuditJson;
import io.cachelens.analysis.report.AuditMarkdown;
import io.cachelens.analysis.report.ReportFiles;
import io.cachelens.analysis.stats.CommandStatsTable;
import io.cachelens.analysis.stats.LatencyHistogram;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.analysis.summary.ServiceSummary;
import io.cachelens.analysis.summary.SummaryAssembler;
import io.cachelens.analysis.summary.SummaryHeader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes the audit {@code <report dir>/<service>.json}, {@code .md} and {@code .html}: periodically
 * from the agent's own daemon thread and once more at exit. Each file is written atomically
 * (temporary file, then rename), so a reader never sees half a file. Each audit is also handed to
 * an optional listener (the OpenTelemetry finding events), whether or not the files could be
 * written.
 */
public final class AuditReporter {
  private final CacheLensSink sink;
  private final AuditRules rules;
  private final String service;
  private final String host;
  private final long pid;
  private final Instant start;
  private final long startNanos;
  private final Path directory;
  private final String fileName;
  private final Consumer<ServiceAudit> listener;

  public AuditReporter(
      CacheLensSink sink,
      AuditRules rules,
      String service,
      String host,
      Path directory,
      Instant start,
      long startNanos) {
    this(sink, rules, service, host, directory, start, startNanos, null);
  }

  /**
   * @param listener called with every audit {@link #write()} assembles, before the files are
   *     written; null for none. Its failures are logged, never thrown.
   */
  public AuditReporter(
      CacheLensSink sink,
      AuditRules rules,
      String service,
      String host,
      Path directory,
      Instant start,
      long startNanos,
      Consumer<ServiceAudit> listener) {
    this.sink = sink;
    this.rules = rules;
    this.service = service;
    this.host = host;
    this.pid = ProcessHandle.current().pid();
    this.start = start;
    this.startNanos = startNanos;
    this.directory = directory;
    this.fileName = fileName(service);
    this.listener = listener;
  }

  /** A service name made safe as a file name. */
  static String fileName(String service) {
    StringBuilder name = new StringBuilder(service.length());
    for (int i = 0; i < service.length(); i++) {
      char c = service.charAt(i);
      name.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '_');
    }
    return name.length() == 0 || name.charAt(0) == '.' ? "service" + name : name.toString();
  }

  /** The JSON audit's path. */
  public Path file() {
    return directory.resolve(fileName + ".json");
  }

  /** Assembles the audit of everything observed so far. */
  public ServiceAudit audit() {
    CommandCatalog catalog = sink.catalog();
    long nowNanos = System.nanoTime();
    Instant now = start.plusNanos(nowNanos - startNanos);
    SummaryHeader header =
        new SummaryHeader(
            service, host, pid, start, now, sink.connectionsOpened(), sink.connectionsClosed());
    ServiceSummary summary =
        SummaryAssembler.assemble(
            header,
            sink.table(),
            id -> catalog.byId(id).name(),
            id -> catalog.byId(id).isRead(),
            id -> catalog.byId(id).isWrite(),
            id -> sink.prefixes().prefix(id),
            id -> catalog.byId(id).handshake(),
            CacheLensSink.NO_KEY_PREFIX_ID);
    AuditCollector collector = sink.audit();
    AuditObservations observations =
        new AuditObservations(
            summary,
            collector.connections().summary(nowNanos),
            latencies(catalog, collector),
            collector.dangerousUses(),
            collector.bigValues(),
            collector.hotKeys(),
            collector.hotKeySampled(),
            collector.storms(),
            collector.noTtlWriteSites());
    return rules.audit(observations);
  }

  /** Latency per (command, prefix) across servers, with the call sites of slow commands. */
  private List<CommandLatency> latencies(CommandCatalog catalog, AuditCollector collector) {
    Map<Long, LatencyHistogram> merged = new HashMap<>();
    sink.table()
        .forEach(
            cell -> {
              int commandId = cell.commandId();
              if (commandId == CommandStatsTable.SPILL_COMMAND_ID
                  || cell.count() == 0
                  || catalog.byId(commandId).handshake()) {
                return;
              }
              long key = (long) commandId << 32 | cell.prefixId();
              cell.latency().addTo(merged.computeIfAbsent(key, ignored -> new LatencyHistogram()));
            });
    List<CommandLatency> latencies = new ArrayList<>(merged.size());
    merged.forEach(
        (key, histogram) -> {
          int commandId = (int) (key >>> 32);
          int prefixId = (int) (long) key;
          CommandInfo info = catalog.byId(commandId);
          latencies.add(
              new CommandLatency(
                  info.name(),
                  prefixId == CacheLensSink.NO_KEY_PREFIX_ID
                      ? null
                      : sink.prefixes().prefix(prefixId),
                  histogram.count(),
                  (histogram.percentileNanos(0.99) + 500) / 1000,
                  collector.slowCallSites(commandId, prefixId)));
        });
    return latencies;
  }

  /**
   * Assembles the audit, hands it to the listener and writes it in JSON, Markdown and HTML;
   * failures are logged, never thrown.
   */
  public ServiceAudit write() {
    ServiceAudit audit;
    try {
      audit = audit();
    } catch (Throwable t) {
      AgentLog.info("could not write the audit to " + directory + ": " + t);
      return null;
    }
    if (listener != null) {
      try {
        listener.accept(audit);
      } catch (Throwable t) {
        AgentLog.info("could not emit the audit's findings to OpenTelemetry: " + t);
      }
    }
    try {
      AuditJson.writeAtomically(audit, file());
      ReportFiles.writeAtomically(directory.resolve(fileName + ".md"), AuditMarkdown.render(audit));
      ReportFiles.writeAtomically(directory.resolve(fileName + ".html"), AuditHtml.render(audit));
      return audit;
    } catch (Throwable t) {
      AgentLog.info("could not write the audit to " + directory + ": " + t);
      return null;
    }
  }

  /** The one line printed at exit: where the audit is and its headline figures. */
  public static String headline(ServiceAudit audit, Path file) {
    ServiceSummary summary = audit.summary();
    long writesWithoutTtl = 0;
    for (PrefixSummary prefix : summary.prefixes()) {
      writesWithoutTtl += prefix.writesWithoutTtl();
    }
    int[] bySeverity = new int[Severity.values().length];
    for (Finding finding : audit.findings()) {
      bySeverity[finding.severity().ordinal()]++;
    }
    return "audit written to "
        + file.toAbsolutePath()
        + " (.json, .md, .html): "
        + summary.totals().commands()
        + " commands, "
        + summary.totals().errors()
        + " errors, "
        + summary.prefixes().size()
        + " key prefixes, "
        + writesWithoutTtl
        + " writes without TTL, "
        + summary.totals().connectionsOpened()
        + " connections opened; findings: "
        + bySeverity[Severity.CRITICAL.ordinal()]
        + " critical, "
        + bySeverity[Severity.WARNING.ordinal()]
        + " warning, "
        + bySeverity[Severity.INFO.ordinal()]
        + " info";
  }
}
