package io.cachelens.analysis.report;

import io.cachelens.analysis.audit.CallSiteCount;
import io.cachelens.analysis.audit.ConnectionSummary;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.json.JsonWriter;
import io.cachelens.analysis.summary.SummaryJson;
import java.util.Map;

/**
 * Renders a {@link ServiceAudit} as the JSON document {@code <service>.json}, schema {@value
 * #SCHEMA}: the summary's fields ({@link SummaryJson}), then {@code connections} and {@code
 * findings}.
 *
 * <pre>{@code
 * "connections": {
 *   "opened": 1200, "closed": 1198,
 *   "lifetimeP50Millis": 3, "lifetimeP99Millis": 12,
 *   "commandsPerConnectionP50": 2, "commandsPerConnectionP99": 2,
 *   "opensPerMinuteStart": "2025-01-01T10:00:00Z", "opensPerMinute": [600, 600],
 *   "callSitesSampled": 1200,
 *   "callSites": [{"site": "com.acme.RateLimiter.check(RateLimiter.java:42)", "count": 1200}]
 * },
 * "findings": [{
 *   "rule": "CONNECTION_CHURN", "severity": "critical", "prefix": null,
 *   "message": "...", "evidence": {"opensPerMinute": 600, ...},
 *   "callSites": ["com.acme.RateLimiter.check(RateLimiter.java:42)"],
 *   "recommendation": "..."
 * }]
 * }</pre>
 */
public final class AuditJson {

  /** The value of the {@code schema} field. */
  public static final String SCHEMA = "cachelens.audit/v1";

  private AuditJson() {}

  /** The audit as a pretty-printed JSON document ending with a newline. */
  public static String toJson(ServiceAudit audit) {
    StringBuilder text = new StringBuilder(4096);
    JsonWriter json = new JsonWriter(text, true);
    json.beginObject();
    json.name("schema").value(SCHEMA);
    SummaryJson.writeFields(json, audit.summary());
    writeConnections(json, audit.connections());
    json.name("findings").beginArray();
    for (Finding finding : audit.findings()) {
      writeFinding(json, finding);
    }
    json.endArray();
    json.endObject();
    return text.append('\n').toString();
  }

  /** Writes the {@code connections} member. */
  public static void writeConnections(JsonWriter json, ConnectionSummary connections) {
    json.name("connections").beginObject();
    json.name("opened").value(connections.opened());
    json.name("closed").value(connections.closed());
    json.name("lifetimeP50Millis").value(connections.lifetimeP50Millis());
    json.name("lifetimeP99Millis").value(connections.lifetimeP99Millis());
    json.name("commandsPerConnectionP50").value(connections.commandsPerConnectionP50());
    json.name("commandsPerConnectionP99").value(connections.commandsPerConnectionP99());
    json.name("opensPerMinuteStart").value(connections.opensPerMinuteStart().toString());
    json.name("opensPerMinute").beginArray();
    for (long opens : connections.opensPerMinute()) {
      json.value(opens);
    }
    json.endArray();
    json.name("callSitesSampled").value(connections.callSitesSampled());
    json.name("callSites").beginArray();
    for (CallSiteCount site : connections.callSites()) {
      json.beginObject();
      json.name("site").value(site.site());
      json.name("count").value(site.count());
      json.endObject();
    }
    json.endArray();
    json.endObject();
  }

  private static void writeFinding(JsonWriter json, Finding finding) {
    json.beginObject();
    writeFindingFields(json, finding);
    json.endObject();
  }

  /**
   * Writes a finding's members, from {@code rule} to {@code recommendation}, into an open object.
   */
  public static void writeFindingFields(JsonWriter json, Finding finding) {
    json.name("rule").value(finding.rule().name());
    json.name("severity").value(finding.severity().label());
    json.name("prefix");
    if (finding.prefix() == null) {
      json.nullValue();
    } else {
      json.value(finding.prefix());
    }
    json.name("message").value(finding.message());
    json.name("evidence").beginObject();
    for (Map.Entry<String, Object> entry : finding.evidence().entrySet()) {
      json.name(entry.getKey());
      Object value = entry.getValue();
      if (value instanceof Long number) {
        json.value(number.longValue());
      } else if (value instanceof Double number) {
        json.value(number.doubleValue());
      } else {
        json.value((String) value);
      }
    }
    json.endObject();
    json.name("callSites").beginArray();
    for (String site : finding.callSites()) {
      json.value(site);
    }
    json.endArray();
    json.name("recommendation").value(finding.recommendation());
  }

  /**
   * Writes the audit as UTF-8 JSON to {@code file}, atomically (see {@link
   * ReportFiles#writeAtomically}).
   */
  public static void writeAtomically(ServiceAudit audit, java.nio.file.Path file) {
    ReportFiles.writeAtomically(file, toJson(audit));
  }
}
