package io.cachelens.agent.report;

import io.cachelens.agent.AgentLog;
import io.cachelens.agent.sink.CacheLensSink;
import io.cachelens.analysis.command.CommandCatalog;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.analysis.summary.ServiceSummary;
import io.cachelens.analysis.summary.SummaryAssembler;
import io.cachelens.analysis.summary.SummaryHeader;
import io.cachelens.analysis.summary.SummaryJson;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes the local summary {@code <report dir>/<service>.json}: periodically from the agent's own
 * daemon thread and once more at exit. Writing is atomic (temporary file, then rename), so a reader
 * never sees half a file.
 */
public final class SummaryReporter {
  private final CacheLensSink sink;
  private final String service;
  private final String host;
  private final long pid;
  private final Instant start;
  private final Path file;

  public SummaryReporter(CacheLensSink sink, String service, String host, Path directory) {
    this.sink = sink;
    this.service = service;
    this.host = host;
    this.pid = ProcessHandle.current().pid();
    this.start = Instant.now();
    this.file = directory.resolve(fileName(service) + ".json");
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

  public Path file() {
    return file;
  }

  /** Assembles the summary of everything counted so far. */
  public ServiceSummary summary() {
    CommandCatalog catalog = sink.catalog();
    SummaryHeader header =
        new SummaryHeader(
            service,
            host,
            pid,
            start,
            Instant.now(),
            sink.connectionsOpened(),
            sink.connectionsClosed());
    return SummaryAssembler.assemble(
        header,
        sink.table(),
        id -> catalog.byId(id).name(),
        id -> catalog.byId(id).isRead(),
        id -> catalog.byId(id).isWrite(),
        id -> sink.prefixes().prefix(id),
        id -> catalog.byId(id).handshake(),
        CacheLensSink.NO_KEY_PREFIX_ID);
  }

  /** Writes the summary; failures are logged, never thrown. */
  public ServiceSummary write() {
    try {
      ServiceSummary summary = summary();
      SummaryJson.writeAtomically(summary, file);
      return summary;
    } catch (Throwable t) {
      AgentLog.info("could not write the summary " + file + ": " + t);
      return null;
    }
  }

  /** The one line printed at exit: where the summary is and its headline figures. */
  public static String headline(ServiceSummary summary, Path file) {
    long writesWithoutTtl = 0;
    for (PrefixSummary prefix : summary.prefixes()) {
      writesWithoutTtl += prefix.writesWithoutTtl();
    }
    return "summary written to "
        + file.toAbsolutePath()
        + ": "
        + summary.totals().commands()
        + " commands, "
        + summary.totals().errors()
        + " errors, "
        + summary.prefixes().size()
        + " key prefixes, "
        + writesWithoutTtl
        + " writes without TTL, "
        + summary.totals().connectionsOpened()
        + " connections opened";
  }
}
