package io.cachelens.analysis.fleet;

import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.audit.Severity;
import io.cachelens.analysis.json.JsonWriter;
import io.cachelens.analysis.report.AuditJson;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.analysis.summary.ServiceSummary;
import io.cachelens.analysis.summary.SummaryJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link FleetAudit} as the JSON document {@code fleet.json}, schema {@value #SCHEMA}.
 *
 * <pre>{@code
 * {
 *   "schema": "cachelens.fleet/v1",
 *   "window": {"start": "2025-01-01T10:00:00Z", "end": "2025-01-01T11:00:00Z"},
 *   "instances": [{"service": "checkout", "host": "web-1", "pid": 4242, "window": {...}}],
 *   "findingsBySeverity": {"critical": 1, "warning": 0, "info": 2},
 *   "skippedFindings": 2,
 *   "services": [{
 *     "service": "checkout", "instances": 2, "hosts": ["web-1", "web-2"], "window": {...},
 *     "totals": {...}, "commands": [...], "prefixes": [...], "connections": {...},
 *     "skippedFindings": 2, "skippedFindingsByReason": {"rule CACHE_STAMPEDE": 2}
 *   }],
 *   "prefixes": [{
 *     "prefix": "product:cache:*",
 *     "services": {"checkout": {"reads": 10, "writes": 5, "writesWithoutTtl": 5, "bytesWritten": 800}}
 *   }],
 *   "findings": [{
 *     "service": "checkout", "reportedBy": 2, "instances": 2, "hosts": ["web-1", "web-2"],
 *     "rule": "NO_TTL_WRITES", "severity": "critical", "prefix": "product:cache:*",
 *     "message": "...", "evidence": {...}, "callSites": [...], "recommendation": "..."
 *   }]
 * }
 * }</pre>
 *
 * <p>{@code totals}, {@code commands}, {@code prefixes} and {@code connections} of a service have
 * the members of the audit's document ({@link io.cachelens.analysis.report.AuditJson}). {@code
 * skippedFindings} counts the findings of the instances' audits that this version does not know the
 * rule or severity of (written by a newer agent) and so left out of the merge, in all and per
 * service, where {@code skippedFindingsByReason} says which ({@code rule X}, {@code severity y}).
 * The fleet {@code window} is null when there are no audits. Pretty-printed, ending with a newline.
 */
public final class FleetJson {

  /** The value of the {@code schema} field. */
  public static final String SCHEMA = "cachelens.fleet/v1";

  private FleetJson() {}

  /** The fleet audit as a JSON document. */
  public static String toJson(FleetAudit fleet) {
    StringBuilder text = new StringBuilder(8192);
    JsonWriter json = new JsonWriter(text, true);
    json.beginObject();
    json.name("schema").value(SCHEMA);
    json.name("window");
    if (fleet.windowStart().isPresent() && fleet.windowEnd().isPresent()) {
      writeWindow(json, fleet.windowStart().get(), fleet.windowEnd().get());
    } else {
      json.nullValue();
    }

    json.name("instances").beginArray();
    for (ServiceAudit audit : fleet.audits()) {
      ServiceSummary summary = audit.summary();
      json.beginObject();
      json.name("service").value(summary.service());
      json.name("host").value(summary.host());
      json.name("pid").value(summary.pid());
      json.name("window");
      writeWindow(json, summary.windowStart(), summary.windowEnd());
      json.endObject();
    }
    json.endArray();

    json.name("findingsBySeverity").beginObject();
    for (Severity severity : Severity.values()) {
      json.name(severity.label()).value(fleet.findings(severity));
    }
    json.endObject();
    json.name("skippedFindings").value(fleet.skippedFindings());

    json.name("services").beginArray();
    for (FleetService service : fleet.services()) {
      writeService(json, service);
    }
    json.endArray();

    json.name("prefixes").beginArray();
    for (FleetPrefixRow row : fleet.prefixes()) {
      json.beginObject();
      json.name("prefix").value(row.prefix());
      json.name("services").beginObject();
      for (Map.Entry<String, PrefixSummary> cell : row.byService().entrySet()) {
        PrefixSummary prefix = cell.getValue();
        json.name(cell.getKey()).beginObject();
        json.name("reads").value(prefix.reads());
        json.name("writes").value(prefix.writes());
        json.name("writesWithoutTtl").value(prefix.writesWithoutTtl());
        json.name("bytesWritten").value(prefix.bytesWritten());
        json.endObject();
      }
      json.endObject();
      json.endObject();
    }
    json.endArray();

    json.name("findings").beginArray();
    for (FleetFinding finding : fleet.findings()) {
      writeFinding(json, finding);
    }
    json.endArray();
    json.endObject();
    return text.append('\n').toString();
  }

  private static void writeWindow(JsonWriter json, Instant start, Instant end) {
    json.beginObject();
    json.name("start").value(start.toString());
    json.name("end").value(end.toString());
    json.endObject();
  }

  private static void writeService(JsonWriter json, FleetService service) {
    json.beginObject();
    json.name("service").value(service.service());
    json.name("instances").value(service.instances());
    writeStrings(json, "hosts", service.hosts());
    json.name("window");
    writeWindow(json, service.windowStart(), service.windowEnd());

    SummaryJson.writeTotals(json, service.totals());
    SummaryJson.writeCommands(json, service.commands());
    SummaryJson.writePrefixes(json, service.prefixes());
    AuditJson.writeConnections(json, service.connections());
    json.name("skippedFindings").value(service.skippedFindingCount());
    json.name("skippedFindingsByReason").beginObject();
    for (Map.Entry<String, Long> reason : service.skippedFindings().entrySet()) {
      json.name(reason.getKey()).value(reason.getValue());
    }
    json.endObject();
    json.endObject();
  }

  private static void writeFinding(JsonWriter json, FleetFinding fleetFinding) {
    Finding finding = fleetFinding.finding();
    json.beginObject();
    json.name("service").value(fleetFinding.service());
    json.name("reportedBy").value(fleetFinding.reportedBy());
    json.name("instances").value(fleetFinding.instances());
    writeStrings(json, "hosts", fleetFinding.hosts());
    AuditJson.writeFindingFields(json, finding);
    json.endObject();
  }

  private static void writeStrings(JsonWriter json, String name, List<String> values) {
    json.name(name).beginArray();
    for (String value : values) {
      json.value(value);
    }
    json.endArray();
  }
}
