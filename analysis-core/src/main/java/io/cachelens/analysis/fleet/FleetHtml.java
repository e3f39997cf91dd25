package io.cachelens.analysis.fleet;

import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.Severity;
import io.cachelens.analysis.summary.PrefixSummary;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Renders a {@link FleetAudit} as one self-contained HTML page, {@code fleet.html}: inline CSS, no
 * scripts, nothing fetched (its Content-Security-Policy forbids it), every string from the audits
 * HTML-escaped.
 *
 * <p>Each finding is an element with {@code class="finding"} and the attributes {@code data-rule}
 * (the rule id), {@code data-severity} (the severity label) and {@code data-service}, so that the
 * page can be checked or scraped without parsing its text.
 */
public final class FleetHtml {

  private static final String STYLE =
      """
      body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;\
      color:#1d2125}
      h1{font-size:1.6em;margin-bottom:.2em}
      table{border-collapse:collapse;margin:.5em 0 1.5em}
      th,td{border:1px solid #d0d4d9;padding:.3em .6em;text-align:left;vertical-align:top}
      th{background:#f2f4f6}
      td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
      td.none{color:#9aa1a9;text-align:center}
      code{font:12px ui-monospace,monospace;background:#f2f4f6;padding:0 .2em;\
      overflow-wrap:anywhere}
      .finding{border:1px solid #d0d4d9;border-left:6px solid #6c757d;border-radius:4px;\
      padding:.2em 1em .6em;margin:1em 0}
      .finding[data-severity=critical]{border-left-color:#c62828}
      .finding[data-severity=warning]{border-left-color:#ef8f00}
      .finding[data-severity=info]{border-left-color:#1e6fd9}
      .finding h3{font-size:1.05em;margin:.6em 0 .3em}
      .severity{display:inline-block;border-radius:3px;padding:0 .4em;color:#fff;\
      background:#6c757d;font-size:.85em;text-transform:uppercase}
      .severity.critical{background:#c62828}
      .severity.warning{background:#ef8f00}
      .severity.info{background:#1e6fd9}
      .muted{color:#5c636a}
      dl.evidence{display:grid;grid-template-columns:max-content auto;gap:0 1em;margin:.4em 0}
      dl.evidence dt{color:#5c636a}
      dl.evidence dd{margin:0;font-variant-numeric:tabular-nums}
      """;

  private FleetHtml() {}

  /** The fleet audit as an HTML page. */
  public static String toHtml(FleetAudit fleet) {
    StringBuilder html = new StringBuilder(16384);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ");
    html.append("style-src 'unsafe-inline'\">\n");
    html.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.append("<title>CacheLens fleet audit</title>\n<style>\n").append(STYLE);
    html.append("</style>\n</head>\n<body>\n<h1>CacheLens fleet audit</h1>\n");
    if (fleet.audits().isEmpty()) {
      html.append("<p>No audits to merge.</p>\n</body>\n</html>\n");
      return html.toString();
    }
    html.append("<p class=\"muted\">").append(escape(fleet.counts())).append(", from ");
    html.append(fleet.windowStart().orElseThrow()).append(" to ");
    html.append(fleet.windowEnd().orElseThrow()).append(".</p>\n");
    fleet
        .skippedNote()
        .ifPresent(
            note ->
                html.append("<p class=\"skipped\"><strong>Note:</strong> ")
                    .append(escape(note))
                    .append(".</p>\n"));
    appendServices(html, fleet);
    appendPrefixes(html, fleet);
    appendFindings(html, fleet);
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static void appendServices(StringBuilder html, FleetAudit fleet) {
    html.append("<h2>Services</h2>\n<table>\n<tr><th>Service</th><th class=\"n\">Instances</th>");
    html.append("<th>Hosts</th><th class=\"n\">Commands</th><th class=\"n\">Errors</th>");
    html.append("<th class=\"n\">Connections opened</th><th>Findings</th></tr>\n");
    for (FleetService service : fleet.services()) {
      html.append("<tr><td>").append(escape(service.service())).append("</td>");
      number(html, service.instances());
      html.append("<td>").append(escape(String.join(", ", service.hosts()))).append("</td>");
      number(html, service.totals().commands());
      number(html, service.totals().errors());
      number(html, service.connections().opened());
      html.append("<td>");
      for (Severity severity : Severity.values()) {
        long count =
            fleet.findings().stream()
                .filter(finding -> finding.service().equals(service.service()))
                .filter(finding -> finding.finding().severity() == severity)
                .count();
        if (count > 0) {
          html.append("<span class=\"severity ").append(severity.label()).append("\">");
          html.append(count).append(' ').append(severity.label()).append("</span> ");
        }
      }
      html.append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private static void appendPrefixes(StringBuilder html, FleetAudit fleet) {
    html.append("<h2>Key prefixes</h2>\n");
    if (fleet.prefixes().isEmpty()) {
      html.append("<p>No key prefixes.</p>\n");
      return;
    }
    List<FleetService> services = fleet.services();
    html.append("<table>\n<tr><th rowspan=\"2\">Prefix</th>");
    for (String figure : List.of("Writes without TTL", "Reads and writes", "Bytes written")) {
      html.append("<th colspan=\"").append(services.size()).append("\">");
      html.append(figure).append("</th>");
    }
    html.append("</tr>\n<tr>");
    for (int figure = 0; figure < 3; figure++) {
      for (FleetService service : services) {
        html.append("<th class=\"n\">").append(escape(service.service())).append("</th>");
      }
    }
    html.append("</tr>\n");
    for (FleetPrefixRow row : fleet.prefixes()) {
      html.append("<tr><td><code>").append(escape(row.prefix())).append("</code></td>");
      appendCells(html, services, row, PrefixSummary::writesWithoutTtl);
      appendCells(html, services, row, prefix -> prefix.reads() + prefix.writes());
      appendCells(html, services, row, PrefixSummary::bytesWritten);
      html.append("</tr>\n");
    }
    html.append("</table>\n");
  }

  private static void appendCells(
      StringBuilder html,
      List<FleetService> services,
      FleetPrefixRow row,
      ToLongFunction<PrefixSummary> figure) {
    for (FleetService service : services) {
      PrefixSummary prefix = row.byService().get(service.service());
      if (prefix == null) {
        html.append("<td class=\"none\">–</td>");
      } else {
        number(html, figure.applyAsLong(prefix));
      }
    }
  }

  private static void appendFindings(StringBuilder html, FleetAudit fleet) {
    html.append("<h2>Findings</h2>\n");
    if (fleet.findings().isEmpty()) {
      html.append("<p>No findings.</p>\n");
      return;
    }
    for (FleetFinding fleetFinding : fleet.findings()) {
      Finding finding = fleetFinding.finding();
      String severity = finding.severity().label();
      html.append("<section class=\"finding\" data-rule=\"").append(finding.rule().name());
      html.append("\" data-severity=\"").append(severity);
      html.append("\" data-service=\"").append(escape(fleetFinding.service())).append("\">\n");
      html.append("<h3><span class=\"severity ").append(severity).append("\">");
      html.append(severity).append("</span> ").append(finding.rule().name());
      html.append(" · ").append(escape(fleetFinding.service()));
      if (finding.prefix() != null) {
        html.append(" · <code>").append(escape(finding.prefix())).append("</code>");
      }
      html.append("</h3>\n<p>").append(escape(finding.message())).append("</p>\n");
      html.append("<p class=\"muted\">Reported by ").append(fleetFinding.reportedBy());
      html.append(" of ").append(fleetFinding.instances());
      html.append(fleetFinding.instances() == 1 ? " instance" : " instances");
      html.append(": ").append(escape(String.join(", ", fleetFinding.hosts()))).append("</p>\n");
      if (!finding.evidence().isEmpty()) {
        html.append("<dl class=\"evidence\">");
        for (Map.Entry<String, Object> entry : finding.evidence().entrySet()) {
          html.append("<dt>").append(escape(entry.getKey())).append("</dt><dd>");
          html.append(escape(FleetText.evidence(entry.getValue()))).append("</dd>");
        }
        html.append("</dl>\n");
      }
      if (!finding.callSites().isEmpty()) {
        html.append("<ul class=\"call-sites\">");
        for (String site : finding.callSites()) {
          html.append("<li><code>").append(escape(site)).append("</code></li>");
        }
        html.append("</ul>\n");
      }
      html.append("<p><strong>Recommendation:</strong> ");
      html.append(escape(finding.recommendation())).append("</p>\n</section>\n");
    }
  }

  private static void number(StringBuilder html, long value) {
    html.append("<td class=\"n\">").append(FleetText.count(value)).append("</td>");
  }

  /** Text made safe as HTML content and inside double- or single-quoted attribute values. */
  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
