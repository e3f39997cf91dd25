package io.cachelens.analysis.report;

import static io.cachelens.analysis.report.AuditMarkdown.capitalized;
import static io.cachelens.analysis.report.AuditMarkdown.formatBytes;
import static io.cachelens.analysis.report.AuditMarkdown.formatCount;
import static io.cachelens.analysis.report.AuditMarkdown.formatDecimal;
import static io.cachelens.analysis.report.AuditMarkdown.formatEvidence;
import static io.cachelens.analysis.report.AuditMarkdown.formatPercent;

import io.cachelens.analysis.audit.CallSiteCount;
import io.cachelens.analysis.audit.ConnectionSummary;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.audit.Severity;
import io.cachelens.analysis.summary.CommandSummary;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.analysis.summary.ServiceSummary;
import io.cachelens.analysis.summary.SummaryTotals;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * Renders a {@link ServiceAudit} as one self-contained HTML page: inline CSS and inline SVG charts,
 * no scripts and nothing fetched, so it can be mailed, archived or opened offline.
 *
 * <p>Every text from the model goes through {@link Html}, which escapes it, and the page's Content
 * Security Policy forbids scripts and remote content as a second line of defence. Charts show the
 * top {@value #CHART_ROWS} rows, tables the first {@value #TABLE_ROWS}; each says what it left out.
 * Each finding is an element with {@code class="finding"}, {@code data-rule} (the rule id) and
 * {@code data-severity} (the severity's label).
 */
public final class AuditHtml {

  /** Rows per chart (prefixes, commands). */
  static final int CHART_ROWS = 30;

  /** Rows per table; the JSON report holds the rest. */
  static final int TABLE_ROWS = 500;

  /** Minutes the connection chart shows at most, the most recent ones. */
  static final int CHART_MINUTES = 1440;

  private static final int CHART_WIDTH = 760;
  private static final int LABEL_WIDTH = 260;
  private static final int VALUE_WIDTH = 150;
  private static final int ROW_HEIGHT = 22;
  private static final int LABEL_CHARS = 34;

  private static final DateTimeFormatter MINUTE_OF_DAY =
      DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

  private static final String STYLE =
      """
      :root {
        color-scheme: light;
        --text: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa;
        --bar: #3569b0; --bar-light: #9fbde6; --grid: #e4e8ec;
        --critical: #b42318; --critical-bg: #fef3f2;
        --warning: #8a4b00; --warning-bg: #fff8e6;
        --info: #175cd3; --info-bg: #eff6ff;
      }
      * { box-sizing: border-box; }
      body {
        margin: 0; background: #fff; color: var(--text);
        font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
          sans-serif;
      }
      main { max-width: 1100px; margin: 0 auto; padding: 28px 32px 48px; }
      h1 { font-size: 1.8rem; margin: 0 0 6px; line-height: 1.2; overflow-wrap: anywhere; }
      h2 {
        font-size: 1.35rem; margin: 40px 0 14px; padding-bottom: 6px;
        border-bottom: 1px solid var(--line);
      }
      h3 { font-size: 1.1rem; margin: 26px 0 10px; }
      h4 { font-size: 1rem; margin: 0 0 6px; overflow-wrap: anywhere; }
      code {
        font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
        font-size: 0.9em; overflow-wrap: anywhere;
      }
      .eyebrow {
        margin: 0; color: var(--muted); font-size: 0.85rem; font-weight: 600;
        letter-spacing: 0.06em; text-transform: uppercase;
      }
      .meta { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 8px 0 0; color: var(--muted); }
      .meta div { display: flex; gap: 6px; }
      .meta dt { font-weight: 600; }
      .meta dd { margin: 0; color: var(--text); overflow-wrap: anywhere; }
      nav { margin-top: 14px; font-size: 0.9rem; }
      nav a { color: var(--info); margin-right: 16px; }
      .cards {
        display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr));
        gap: 12px; list-style: none; padding: 0; margin: 20px 0 0;
      }
      .card {
        border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px;
        background: var(--panel);
      }
      .card .value {
        display: block; font-size: 1.45rem; font-weight: 650; line-height: 1.3;
        font-variant-numeric: tabular-nums; overflow-wrap: anywhere;
      }
      .card .label { color: var(--muted); font-size: 0.85rem; }
      .card.critical { border-left: 5px solid var(--critical); }
      .card.warning { border-left: 5px solid var(--warning); }
      .card.info { border-left: 5px solid var(--info); }
      .none { color: var(--muted); font-style: italic; }
      .finding {
        border: 1px solid var(--line); border-left: 6px solid var(--info); border-radius: 6px;
        padding: 14px 18px; margin: 14px 0; background: #fff; break-inside: avoid;
      }
      .finding.critical { border-left-color: var(--critical); }
      .finding.warning { border-left-color: var(--warning); }
      .finding .message { margin: 4px 0 10px; font-weight: 500; overflow-wrap: anywhere; }
      .badge {
        display: inline-block; margin-right: 6px; padding: 0 8px; border: 1px solid currentColor;
        border-radius: 999px; font-size: 0.72rem; font-weight: 700; letter-spacing: 0.05em;
        text-transform: uppercase; vertical-align: 2px;
      }
      .badge.critical { color: var(--critical); background: var(--critical-bg); }
      .badge.warning { color: var(--warning); background: var(--warning-bg); }
      .badge.info { color: var(--info); background: var(--info-bg); }
      .scope { color: var(--muted); font-weight: 400; }
      .sites-label { margin: 10px 0 2px; font-size: 0.85rem; font-weight: 600; color: var(--muted); }
      .sites { margin: 0; padding-left: 20px; }
      .recommendation {
        margin: 12px 0 0; padding: 8px 12px; border-radius: 4px; background: var(--panel);
        overflow-wrap: anywhere;
      }
      table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 8px 0; }
      caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
      th, td { padding: 4px 12px 4px 0; border-bottom: 1px solid var(--line); text-align: left;
        vertical-align: top; }
      thead th { border-bottom: 2px solid var(--line); font-size: 0.85rem; color: var(--muted); }
      .num { text-align: right; white-space: nowrap; padding-left: 12px; }
      td.attention { color: var(--critical); font-weight: 600; }
      table.evidence { font-size: 0.9rem; }
      table.evidence th { font-weight: 500; color: var(--muted); }
      .table-scroll { overflow-x: auto; }
      figure { margin: 18px 0 26px; break-inside: avoid; }
      figcaption { font-weight: 600; margin-bottom: 6px; }
      figcaption .note { display: block; font-weight: 400; color: var(--muted); font-size: 0.85rem; }
      svg.chart { display: block; width: 100%; max-width: 760px; height: auto; }
      svg.chart text {
        font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
        fill: var(--text);
      }
      svg.chart text.axis { fill: var(--muted); }
      svg.chart .bar { fill: var(--bar); }
      svg.chart .bar-light { fill: var(--bar-light); }
      svg.chart .grid { stroke: var(--grid); stroke-width: 1; }
      svg.chart .baseline { stroke: var(--muted); stroke-width: 1; }
      footer { margin-top: 48px; color: var(--muted); font-size: 0.85rem; }
      @media print {
        body { font-size: 10.5pt; }
        main { max-width: none; padding: 0; }
        nav { display: none; }
        h2 { break-after: avoid; }
        .table-scroll { overflow: visible; }
        .card, .finding, .recommendation { background: #fff; }
      }
      """;

  private AuditHtml() {}

  /** The audit as a complete HTML document. */
  public static String render(ServiceAudit audit) {
    ServiceSummary summary = audit.summary();
    Html html = new Html();
    html.raw("<!DOCTYPE html>").newline();
    html.open("html", "lang", "en").newline();
    head(html, summary);
    html.open("body").open("main").newline();
    header(html, summary);
    headline(html, audit);
    findings(html, audit.findings());
    prefixes(html, summary.prefixes());
    connections(html, audit.connections());
    commands(html, summary.commands());
    html.element(
        "footer", "Generated by CacheLens. The JSON report holds every number on this page.");
    html.newline().close("main").close("body").close("html").newline();
    return html.toString();
  }

  private static void head(Html html, ServiceSummary summary) {
    html.open("head").newline();
    html.empty("meta", "charset", "utf-8").newline();
    html.empty("meta", "http-equiv", "Content-Security-Policy", "content", CONTENT_SECURITY_POLICY);
    html.newline();
    html.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
    html.newline();
    html.element("title", "CacheLens audit: " + summary.service()).newline();
    html.open("style").raw(STYLE).close("style").newline();
    html.close("head").newline();
  }

  private static void header(Html html, ServiceSummary summary) {
    html.open("header");
    html.element("p", "CacheLens audit", "class", "eyebrow");
    html.element("h1", summary.service());
    html.open("dl", "class", "meta");
    metaItem(html, "Host", summary.host());
    metaItem(html, "PID", Long.toString(summary.pid()));
    html.open("div").element("dt", "Window").open("dd");
    time(html, summary.windowStart());
    html.text(" to ");
    time(html, summary.windowEnd());
    Duration length = Duration.between(summary.windowStart(), summary.windowEnd());
    if (!length.isNegative()) {
      html.text(" (" + AuditMarkdown.formatDuration(length) + ")");
    }
    html.close("dd").close("div");
    html.close("dl");
    html.open("nav", "aria-label", "Sections");
    html.element("a", "Findings", "href", "#findings");
    html.element("a", "Key prefixes", "href", "#prefixes");
    html.element("a", "Connections", "href", "#connections");
    html.element("a", "Commands", "href", "#commands");
    html.close("nav");
    html.close("header").newline();
  }

  private static void metaItem(Html html, String term, String value) {
    html.open("div").element("dt", term).element("dd", value).close("div");
  }

  private static void time(Html html, Instant instant) {
    html.element("time", instant.toString(), "datetime", instant.toString());
  }

  private static void headline(Html html, ServiceAudit audit) {
    SummaryTotals totals = audit.summary().totals();
    html.open("section", "aria-label", "Headline numbers");
    html.open("ul", "class", "cards");
    card(html, "", formatCount(totals.commands()), "commands");
    String errorShare =
        totals.errors() > 0 && totals.commands() > 0
            ? "errors (" + formatPercent((double) totals.errors() / totals.commands()) + ")"
            : "errors";
    card(html, "", formatCount(totals.errors()), errorShare);
    card(html, "", formatCount(totals.internalCommands()), "internal commands");
    card(html, "", formatCount(totals.connectionsOpened()), "connections opened");
    card(html, "", formatCount(totals.connectionsClosed()), "connections closed");
    for (Severity severity : Severity.values()) {
      long count = audit.findings().stream().filter(f -> f.severity() == severity).count();
      card(html, severity.label(), formatCount(count), severity.label() + " findings");
    }
    html.close("ul").close("section").newline();
  }

  private static void card(Html html, String modifier, String value, String label) {
    html.open("li", "class", modifier.isEmpty() ? "card" : "card " + modifier);
    html.element("span", value, "class", "value").element("span", label, "class", "label");
    html.close("li");
  }

  private static void findings(Html html, List<Finding> findings) {
    html.open("section", "id", "findings").element("h2", "Findings").newline();
    if (findings.isEmpty()) {
      html.element("p", "No findings.", "class", "none");
    }
    for (Severity severity : Severity.values()) {
      List<Finding> ofSeverity = findings.stream().filter(f -> f.severity() == severity).toList();
      if (ofSeverity.isEmpty()) {
        continue;
      }
      String heading = capitalized(severity.label()) + " (" + ofSeverity.size() + ")";
      html.element("h3", heading).newline();
      for (Finding finding : ofSeverity) {
        finding(html, finding);
      }
    }
    html.close("section").newline();
  }

  private static void finding(Html html, Finding finding) {
    String severity = finding.severity().label();
    html.open(
        "article",
        "class",
        "finding " + severity,
        "data-rule",
        finding.rule().name(),
        "data-severity",
        severity);
    html.open("h4");
    html.element("span", severity, "class", "badge " + severity);
    html.element("code", finding.rule().name()).text(" ");
    if (finding.prefix() == null) {
      html.element("span", "service-wide", "class", "scope");
    } else {
      html.open("span", "class", "scope").text("on ").close("span");
      html.element("code", finding.prefix());
    }
    html.close("h4");
    html.element("p", finding.message(), "class", "message");
    evidence(html, finding.evidence());
    if (!finding.callSites().isEmpty()) {
      html.element("p", "Call sites", "class", "sites-label");
      html.open("ul", "class", "sites");
      for (String site : finding.callSites()) {
        html.open("li").element("code", site).close("li");
      }
      html.close("ul");
    }
    html.open("p", "class", "recommendation");
    html.element("strong", "Recommendation: ").text(finding.recommendation());
    html.close("p");
    html.close("article").newline();
  }

  private static void evidence(Html html, Map<String, Object> evidence) {
    if (evidence.isEmpty()) {
      return;
    }
    html.open("table", "class", "evidence").element("caption", "Evidence").open("tbody");
    for (Map.Entry<String, Object> entry : evidence.entrySet()) {
      boolean number = !(entry.getValue() instanceof String);
      html.open("tr").element("th", entry.getKey(), "scope", "row");
      html.element("td", formatEvidence(entry.getValue()), "class", number ? "num" : "text");
      html.close("tr");
    }
    html.close("tbody").close("table");
  }

  private static void prefixes(Html html, List<PrefixSummary> prefixes) {
    html.open("section", "id", "prefixes").element("h2", "Key prefixes").newline();
    if (prefixes.isEmpty()) {
      html.element("p", "No key prefixes recorded.", "class", "none");
      html.close("section").newline();
      return;
    }
    prefixChart(
        html,
        "chart-commands",
        "Commands per prefix (reads + writes)",
        prefixes,
        prefix -> saturatedSum(prefix.reads(), prefix.writes()),
        AuditMarkdown::formatCount,
        "No commands on any prefix.");
    prefixChart(
        html,
        "chart-without-ttl",
        "Writes without TTL per prefix",
        prefixes,
        PrefixSummary::writesWithoutTtl,
        AuditMarkdown::formatCount,
        "No prefix has writes that left a key without a TTL.");
    prefixChart(
        html,
        "chart-bytes",
        "Bytes written per prefix",
        prefixes,
        PrefixSummary::bytesWritten,
        AuditMarkdown::formatBytes,
        "No bytes written.");
    prefixTable(html, prefixes);
    html.close("section").newline();
  }

  /** One horizontal bar chart of a prefix measure: the largest values, zeros left out. */
  private static void prefixChart(
      Html html,
      String id,
      String title,
      List<PrefixSummary> prefixes,
      ToLongFunction<PrefixSummary> measure,
      LongFunction<String> format,
      String whenEmpty) {
    List<PrefixSummary> nonZero =
        prefixes.stream()
            .filter(prefix -> measure.applyAsLong(prefix) > 0)
            .sorted(
                Comparator.comparingLong(measure).reversed().thenComparing(PrefixSummary::prefix))
            .toList();
    html.open("figure").open("figcaption").text(title);
    if (nonZero.size() > CHART_ROWS) {
      String note =
          "Top "
              + CHART_ROWS
              + " of "
              + formatCount(nonZero.size())
              + " prefixes; "
              + formatCount(nonZero.size() - CHART_ROWS)
              + " more in the table below.";
      html.element("span", note, "class", "note");
    }
    html.close("figcaption");
    if (nonZero.isEmpty()) {
      html.element("p", whenEmpty, "class", "none");
    } else {
      List<Bar> bars =
          nonZero.subList(0, Math.min(nonZero.size(), CHART_ROWS)).stream()
              .map(
                  prefix -> {
                    long value = measure.applyAsLong(prefix);
                    return new Bar(prefix.prefix(), value, format.apply(value));
                  })
              .toList();
      barChart(html, id, title, bars);
    }
    html.close("figure").newline();
  }

  private record Bar(String label, long value, String valueText) {}

  private static void barChart(Html html, String id, String title, List<Bar> bars) {
    int height = bars.size() * ROW_HEIGHT + 8;
    long max = bars.stream().mapToLong(Bar::value).max().orElse(0);
    openSvg(html, id, title, height);
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      int top = 4 + i * ROW_HEIGHT;
      double width = barLength(bar.value(), max, CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH);
      html.open("g");
      html.element("title", bar.label() + ": " + bar.valueText());
      label(html, bar.label(), top + 15);
      rect(html, "bar", LABEL_WIDTH, top + 4, width, 14);
      html.element(
          "text",
          bar.valueText(),
          "x",
          coordinate(LABEL_WIDTH + width + 6),
          "y",
          coordinate(top + 15));
      html.close("g");
    }
    html.close("svg");
  }

  private static void prefixTable(Html html, List<PrefixSummary> prefixes) {
    html.open("div", "class", "table-scroll").open("table");
    html.element("caption", "All prefixes, by commands");
    headerRow(
        html,
        "Prefix",
        "Reads",
        "Writes",
        "Writes with TTL",
        "Writes without TTL",
        "TTL set later",
        "Bytes written",
        "p50 µs",
        "p99 µs");
    html.open("tbody");
    for (PrefixSummary prefix : prefixes.subList(0, Math.min(prefixes.size(), TABLE_ROWS))) {
      html.open("tr");
      codeCell(html, prefix.prefix());
      numberCell(html, formatCount(prefix.reads()));
      numberCell(html, formatCount(prefix.writes()));
      numberCell(html, formatCount(prefix.writesWithTtl()));
      html.element(
          "td",
          formatCount(prefix.writesWithoutTtl()),
          "class",
          prefix.writesWithoutTtl() > 0 ? "num attention" : "num");
      numberCell(html, formatCount(prefix.writesWithTtlLater()));
      html.element(
          "td",
          formatBytes(prefix.bytesWritten()),
          "class",
          "num",
          "title",
          formatCount(prefix.bytesWritten()) + " bytes");
      numberCell(html, formatCount(prefix.p50Micros()));
      numberCell(html, formatCount(prefix.p99Micros()));
      html.close("tr");
    }
    html.close("tbody").close("table").close("div");
    moreRows(html, prefixes.size(), "prefixes");
  }

  private static void connections(Html html, ConnectionSummary connections) {
    html.open("section", "id", "connections").element("h2", "Connections").newline();
    if (connections.opened() == 0
        && connections.closed() == 0
        && connections.callSites().isEmpty()
        && connections.opensPerMinute().isEmpty()) {
      html.element("p", "No connections were opened or closed in the window.", "class", "none");
      html.close("section").newline();
      return;
    }
    html.open("ul", "class", "cards");
    card(html, "", formatCount(connections.opened()), "opened");
    card(html, "", formatCount(connections.closed()), "closed");
    card(
        html,
        "",
        formatCount(connections.lifetimeP50Millis())
            + " / "
            + formatCount(connections.lifetimeP99Millis()),
        "lifetime p50 / p99 ms");
    card(
        html,
        "",
        formatCount(connections.commandsPerConnectionP50())
            + " / "
            + formatCount(connections.commandsPerConnectionP99()),
        "commands per connection p50 / p99");
    card(html, "", formatCount(connections.peakOpensPerMinute()), "peak opens per minute");
    html.close("ul");
    opensPerMinute(html, connections);
    connectionCallSites(html, connections);
    html.close("section").newline();
  }

  private static void opensPerMinute(Html html, ConnectionSummary connections) {
    List<Long> all = connections.opensPerMinute();
    int skipped = Math.max(0, all.size() - CHART_MINUTES);
    List<Long> minutes = all.subList(skipped, all.size());
    Instant start = connections.opensPerMinuteStart().plus(Duration.ofMinutes(skipped));
    String title = "Connections opened per minute";
    html.open("figure").open("figcaption").text(title);
    String note =
        minutes.isEmpty()
            ? "No per-minute counts recorded."
            : formatCount(minutes.size()) + " minutes from " + start + " (times in UTC)";
    if (skipped > 0) {
      note += "; the " + formatCount(skipped) + " earlier minutes are in the JSON report";
    }
    html.element("span", note, "class", "note").close("figcaption");
    if (!minutes.isEmpty()) {
      columnChart(html, "chart-opens", title, start, minutes);
    }
    html.close("figure").newline();
  }

  /** Opens per minute as columns over a time axis, with grid lines at zero, half and the peak. */
  private static void columnChart(
      Html html, String id, String title, Instant start, List<Long> minutes) {
    int left = 72;
    int top = 12;
    int plotWidth = CHART_WIDTH - left - 16;
    int plotHeight = 180;
    int height = top + plotHeight + 32;
    long peak = minutes.stream().mapToLong(Long::longValue).max().orElse(0);
    openSvg(html, id, title, height);
    int gridLines = peak > 0 ? 2 : 0;
    for (int line = 0; line <= gridLines; line++) {
      double y = top + plotHeight - (double) plotHeight * line / Math.max(1, gridLines);
      String value = formatDecimal(peak * (double) line / Math.max(1, gridLines));
      html.empty(
          "line",
          "class",
          line == 0 ? "baseline" : "grid",
          "x1",
          coordinate(left),
          "x2",
          coordinate(left + plotWidth),
          "y1",
          coordinate(y),
          "y2",
          coordinate(y));
      html.element(
          "text",
          value,
          "class",
          "axis",
          "x",
          coordinate(left - 8),
          "y",
          coordinate(y + 4),
          "text-anchor",
          "end");
    }
    double slot = (double) plotWidth / minutes.size();
    double columnWidth = Math.min(48, Math.max(0.5, slot * 0.8));
    for (int i = 0; i < minutes.size(); i++) {
      long opens = minutes.get(i);
      if (opens <= 0) {
        continue;
      }
      double columnHeight = barLength(opens, peak, plotHeight);
      double x = left + i * slot + (slot - columnWidth) / 2;
      html.open("g");
      html.element(
          "title",
          MINUTE_OF_DAY.format(start.plus(Duration.ofMinutes(i))) + " UTC: " + formatCount(opens));
      rect(html, "bar", x, top + plotHeight - columnHeight, columnWidth, columnHeight);
      html.close("g");
    }
    int labelEvery = Math.max(1, (minutes.size() + 5) / 6);
    for (int i = 0; i < minutes.size(); i += labelEvery) {
      html.element(
          "text",
          MINUTE_OF_DAY.format(start.plus(Duration.ofMinutes(i))),
          "class",
          "axis",
          "x",
          coordinate(left + (i + 0.5) * slot),
          "y",
          coordinate(top + plotHeight + 20),
          "text-anchor",
          "middle");
    }
    html.close("svg");
  }

  private static void connectionCallSites(Html html, ConnectionSummary connections) {
    List<CallSiteCount> sites = connections.callSites();
    if (sites.isEmpty()) {
      html.element("p", "No call sites were captured for connection opens.", "class", "none");
      return;
    }
    long sampled = connections.callSitesSampled();
    html.open("div", "class", "table-scroll").open("table");
    html.element(
        "caption",
        "Where connections were opened (stacks captured for "
            + formatCount(sampled)
            + " of "
            + formatCount(connections.opened())
            + " opens)");
    headerRow(html, "Call site", "Opens", "Share of captured");
    html.open("tbody");
    for (CallSiteCount site : sites.subList(0, Math.min(sites.size(), TABLE_ROWS))) {
      html.open("tr");
      codeCell(html, site.site());
      numberCell(html, formatCount(site.count()));
      numberCell(html, sampled > 0 ? formatPercent((double) site.count() / sampled) : "–");
      html.close("tr");
    }
    html.close("tbody").close("table").close("div");
    moreRows(html, sites.size(), "call sites");
  }

  private static void commands(Html html, List<CommandSummary> commands) {
    html.open("section", "id", "commands").element("h2", "Commands and latency").newline();
    if (commands.isEmpty()) {
      html.element("p", "No commands recorded.", "class", "none");
      html.close("section").newline();
      return;
    }
    String title = "Client-side latency per command, p50 and p99 (µs)";
    html.open("figure").open("figcaption").text(title);
    if (commands.size() > CHART_ROWS) {
      String note =
          "The "
              + CHART_ROWS
              + " most frequent of "
              + formatCount(commands.size())
              + " commands; all are in the table below.";
      html.element("span", note, "class", "note");
    }
    html.close("figcaption");
    latencyChart(html, commands.subList(0, Math.min(commands.size(), CHART_ROWS)), title);
    html.close("figure").newline();
    commandTable(html, commands);
    html.close("section").newline();
  }

  /** Two bars per command, p50 over p99, on one scale. */
  private static void latencyChart(Html html, List<CommandSummary> commands, String title) {
    int legendHeight = 24;
    int rowHeight = 32;
    int height = legendHeight + commands.size() * rowHeight + 6;
    long max =
        commands.stream()
            .mapToLong(command -> Math.max(command.p50Micros(), command.p99Micros()))
            .max()
            .orElse(0);
    int barArea = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    openSvg(html, "chart-latency", title, height);
    legendItem(html, "bar-light", "p50", LABEL_WIDTH);
    legendItem(html, "bar", "p99", LABEL_WIDTH + 70);
    for (int i = 0; i < commands.size(); i++) {
      CommandSummary command = commands.get(i);
      int top = legendHeight + i * rowHeight;
      double p50 = barLength(command.p50Micros(), max, barArea);
      double p99 = barLength(command.p99Micros(), max, barArea);
      String values =
          formatCount(command.p50Micros()) + " / " + formatCount(command.p99Micros()) + " µs";
      html.open("g");
      html.element("title", command.name() + ": p50 / p99 " + values);
      label(html, command.name(), top + 19);
      rect(html, "bar-light", LABEL_WIDTH, top + 3, p50, 12);
      rect(html, "bar", LABEL_WIDTH, top + 16, p99, 12);
      html.element(
          "text",
          values,
          "x",
          coordinate(LABEL_WIDTH + Math.max(p50, p99) + 6),
          "y",
          coordinate(top + 19));
      html.close("g");
    }
    html.close("svg");
  }

  private static void legendItem(Html html, String barClass, String text, int x) {
    rect(html, barClass, x, 6, 12, 12);
    html.element("text", text, "x", coordinate(x + 18), "y", "16");
  }

  private static void commandTable(Html html, List<CommandSummary> commands) {
    html.open("div", "class", "table-scroll").open("table");
    html.element("caption", "All commands, by count");
    headerRow(html, "Command", "Count", "Errors", "p50 µs", "p99 µs");
    html.open("tbody");
    for (CommandSummary command : commands.subList(0, Math.min(commands.size(), TABLE_ROWS))) {
      html.open("tr");
      codeCell(html, command.name());
      numberCell(html, formatCount(command.count()));
      html.element(
          "td",
          formatCount(command.errors()),
          "class",
          command.errors() > 0 ? "num attention" : "num");
      numberCell(html, formatCount(command.p50Micros()));
      numberCell(html, formatCount(command.p99Micros()));
      html.close("tr");
    }
    html.close("tbody").close("table").close("div");
    moreRows(html, commands.size(), "commands");
  }

  private static void openSvg(Html html, String id, String title, int height) {
    html.open(
        "svg",
        "class",
        "chart",
        "viewBox",
        "0 0 " + CHART_WIDTH + " " + height,
        "width",
        Integer.toString(CHART_WIDTH),
        "height",
        Integer.toString(height),
        "role",
        "img",
        "aria-labelledby",
        id + "-title");
    html.element("title", title, "id", id + "-title");
  }

  /** A row label, cut to fit the label column; the row's tooltip has the whole text. */
  private static void label(Html html, String text, int baseline) {
    String shown =
        text.codePointCount(0, text.length()) > LABEL_CHARS
            ? text.substring(0, text.offsetByCodePoints(0, LABEL_CHARS - 1)) + "…"
            : text;
    html.element(
        "text",
        shown,
        "x",
        coordinate(LABEL_WIDTH - 8),
        "y",
        coordinate(baseline),
        "text-anchor",
        "end");
  }

  private static void rect(
      Html html, String barClass, double x, double y, double width, double height) {
    html.empty(
        "rect",
        "class",
        barClass,
        "x",
        coordinate(x),
        "y",
        coordinate(y),
        "width",
        coordinate(width),
        "height",
        coordinate(height));
  }

  /** A bar's length for {@code value} on a scale where {@code max} fills {@code full}. */
  private static double barLength(long value, long max, double full) {
    if (value <= 0 || max <= 0) {
      return 0;
    }
    // Keep the smallest non-zero values visible.
    return Math.max(1, full * ((double) value / max));
  }

  private static long saturatedSum(long a, long b) {
    long sum = a + b;
    // Counts are never negative, so a negative sum can only be an overflow.
    return sum < 0 && a >= 0 && b >= 0 ? Long.MAX_VALUE : sum;
  }

  private static String coordinate(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  private static void headerRow(Html html, String first, String... numeric) {
    html.open("thead").open("tr").element("th", first, "scope", "col");
    for (String header : numeric) {
      html.element("th", header, "scope", "col", "class", "num");
    }
    html.close("tr").close("thead");
  }

  private static void numberCell(Html html, String text) {
    html.element("td", text, "class", "num");
  }

  private static void codeCell(Html html, String text) {
    html.open("td").element("code", text).close("td");
  }

  private static void moreRows(Html html, int total, String what) {
    if (total > TABLE_ROWS) {
      String note = formatCount(total - TABLE_ROWS) + " more " + what + " are in the JSON report.";
      html.element("p", note, "class", "none");
    }
  }
}
