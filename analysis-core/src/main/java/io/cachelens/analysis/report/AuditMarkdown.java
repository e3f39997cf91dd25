package io.cachelens.analysis.report;

import io.cachelens.analysis.audit.CallSiteCount;
import io.cachelens.analysis.audit.ConnectionSummary;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.audit.Severity;
import io.cachelens.analysis.summary.CommandSummary;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.analysis.summary.ServiceSummary;
import io.cachelens.analysis.summary.SummaryTotals;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link ServiceAudit} as a Markdown report for people (GitHub-flavoured tables).
 *
 * <p>Prefixes, messages, call sites and names come from the service and may hold any text: free
 * text is backslash-escaped, identifiers are code spans, line breaks become spaces and pipes in
 * table cells are escaped, so no such text can change the document's structure or embed HTML. The
 * number formatting here is shared with {@link AuditHtml} so both reports print the same numbers.
 */
public final class AuditMarkdown {

  /** Rows shown per table; the JSON report holds the rest. */
  static final int TABLE_ROWS = 500;

  private static final String ESCAPED_EVERYWHERE = "\\`*_[]<>|#~&";
  private static final String[] BYTE_UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private AuditMarkdown() {}

  /** The audit as a Markdown document ending with a newline. */
  public static String render(ServiceAudit audit) {
    ServiceSummary summary = audit.summary();
    StringBuilder md = new StringBuilder(8192);
    title(md, summary);
    summaryTable(md, audit);
    findings(md, audit.findings());
    prefixes(md, summary.prefixes());
    commands(md, summary.commands());
    connections(md, audit.connections());
    return md.toString();
  }

  private static void title(StringBuilder md, ServiceSummary summary) {
    md.append("# CacheLens audit: ").append(text(summary.service())).append("\n\n");
    md.append("Host ")
        .append(code(summary.host()))
        .append(", pid ")
        .append(summary.pid())
        .append(", window ")
        .append(window(summary.windowStart(), summary.windowEnd()))
        .append(".\n");
  }

  private static void summaryTable(StringBuilder md, ServiceAudit audit) {
    SummaryTotals totals = audit.summary().totals();
    md.append("\n## Summary\n\n");
    md.append("| Measure | Value |\n| --- | ---: |\n");
    row(md, "Commands", formatCount(totals.commands()));
    row(md, "Errors", formatCount(totals.errors()) + share(totals.errors(), totals.commands()));
    row(md, "Internal commands", formatCount(totals.internalCommands()));
    row(md, "Connections opened", formatCount(totals.connectionsOpened()));
    row(md, "Connections closed", formatCount(totals.connectionsClosed()));
    for (Severity severity : Severity.values()) {
      String label = capitalized(severity.label()) + " findings";
      row(md, label, formatCount(countOf(audit.findings(), severity)));
    }
  }

  private static void findings(StringBuilder md, List<Finding> findings) {
    md.append("\n## Findings\n");
    if (findings.isEmpty()) {
      md.append("\nNo findings.\n");
      return;
    }
    for (Severity severity : Severity.values()) {
      List<Finding> ofSeverity = findings.stream().filter(f -> f.severity() == severity).toList();
      if (ofSeverity.isEmpty()) {
        continue;
      }
      md.append("\n### ")
          .append(capitalized(severity.label()))
          .append(" (")
          .append(ofSeverity.size())
          .append(")\n");
      for (Finding finding : ofSeverity) {
        finding(md, finding);
      }
    }
  }

  private static void finding(StringBuilder md, Finding finding) {
    md.append("\n#### ").append(code(finding.rule().name()));
    if (finding.prefix() == null) {
      md.append(" (service-wide)");
    } else {
      md.append(" on ").append(code(finding.prefix()));
    }
    md.append("\n\n").append(text(finding.message())).append("\n");
    if (!finding.evidence().isEmpty()) {
      md.append("\n| Evidence | Value |\n| --- | --- |\n");
      for (Map.Entry<String, Object> entry : finding.evidence().entrySet()) {
        row(md, text(entry.getKey()), text(formatEvidence(entry.getValue())));
      }
    }
    if (!finding.callSites().isEmpty()) {
      md.append("\nCall sites:\n\n");
      for (String site : finding.callSites()) {
        md.append("- ").append(code(site)).append('\n');
      }
    }
    md.append("\n**Recommendation:** ").append(text(finding.recommendation())).append('\n');
  }

  private static void prefixes(StringBuilder md, List<PrefixSummary> prefixes) {
    md.append("\n## Key prefixes\n\n");
    if (prefixes.isEmpty()) {
      md.append("No key prefixes recorded.\n");
      return;
    }
    md.append(
        "| Prefix | Reads | Writes | Writes with TTL | Writes without TTL | TTL set later"
            + " | Bytes written | p50 µs | p99 µs |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (PrefixSummary prefix : prefixes.subList(0, Math.min(prefixes.size(), TABLE_ROWS))) {
      row(
          md,
          codeCell(prefix.prefix()),
          formatCount(prefix.reads()),
          formatCount(prefix.writes()),
          formatCount(prefix.writesWithTtl()),
          formatCount(prefix.writesWithoutTtl()),
          formatCount(prefix.writesWithTtlLater()),
          formatBytes(prefix.bytesWritten()),
          formatCount(prefix.p50Micros()),
          formatCount(prefix.p99Micros()));
    }
    moreRows(md, prefixes.size(), "prefixes");
  }

  private static void commands(StringBuilder md, List<CommandSummary> commands) {
    md.append("\n## Commands\n\n");
    if (commands.isEmpty()) {
      md.append("No commands recorded.\n");
      return;
    }
    md.append("| Command | Count | Errors | p50 µs | p99 µs |\n");
    md.append("| --- | ---: | ---: | ---: | ---: |\n");
    for (CommandSummary command : commands.subList(0, Math.min(commands.size(), TABLE_ROWS))) {
      row(
          md,
          codeCell(command.name()),
          formatCount(command.count()),
          formatCount(command.errors()),
          formatCount(command.p50Micros()),
          formatCount(command.p99Micros()));
    }
    moreRows(md, commands.size(), "commands");
  }

  private static void connections(StringBuilder md, ConnectionSummary connections) {
    md.append("\n## Connections\n\n");
    if (connections.opened() == 0
        && connections.closed() == 0
        && connections.callSites().isEmpty()) {
      md.append("No connections were opened or closed in the window.\n");
      return;
    }
    md.append("| Measure | Value |\n| --- | ---: |\n");
    row(md, "Opened", formatCount(connections.opened()));
    row(md, "Closed", formatCount(connections.closed()));
    row(
        md,
        "Lifetime p50 / p99",
        formatCount(connections.lifetimeP50Millis())
            + " ms / "
            + formatCount(connections.lifetimeP99Millis())
            + " ms");
    row(
        md,
        "Commands per connection p50 / p99",
        formatCount(connections.commandsPerConnectionP50())
            + " / "
            + formatCount(connections.commandsPerConnectionP99()));
    row(md, "Peak opens per minute", formatCount(connections.peakOpensPerMinute()));
    if (connections.callSites().isEmpty()) {
      return;
    }
    md.append("\nWhere connections were opened (stacks captured for ")
        .append(formatCount(connections.callSitesSampled()))
        .append(" of ")
        .append(formatCount(connections.opened()))
        .append(" opens):\n\n");
    md.append("| Call site | Opens |\n| --- | ---: |\n");
    List<CallSiteCount> sites = connections.callSites();
    for (CallSiteCount site : sites.subList(0, Math.min(sites.size(), TABLE_ROWS))) {
      row(md, codeCell(site.site()), formatCount(site.count()));
    }
    moreRows(md, sites.size(), "call sites");
  }

  private static void row(StringBuilder md, String... cells) {
    md.append('|');
    for (String cell : cells) {
      md.append(' ').append(cell).append(" |");
    }
    md.append('\n');
  }

  private static void moreRows(StringBuilder md, int total, String what) {
    if (total > TABLE_ROWS) {
      md.append("\n")
          .append(formatCount(total - TABLE_ROWS))
          .append(" more ")
          .append(what)
          .append(" are in the JSON report.\n");
    }
  }

  private static long countOf(List<Finding> findings, Severity severity) {
    return findings.stream().filter(finding -> finding.severity() == severity).count();
  }

  /**
   * Free text as Markdown that renders as exactly that text on one line, in a paragraph or in a
   * table cell.
   */
  static String text(String text) {
    String line = oneLine(text);
    int blockMarker = blockMarkerIndex(line);
    StringBuilder escaped = new StringBuilder(line.length() + 8);
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (ESCAPED_EVERYWHERE.indexOf(c) >= 0 || i == blockMarker) {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  /**
   * Where a line has the punctuation that would make it a list item or a heading underline ({@code
   * - x}, {@code + x}, {@code ==}, {@code 1. x}, {@code 1) x}), or -1.
   */
  private static int blockMarkerIndex(String line) {
    if (line.isEmpty()) {
      return -1;
    }
    if ("-+=".indexOf(line.charAt(0)) >= 0) {
      return 0;
    }
    int digits = 0;
    while (digits < line.length() && line.charAt(digits) >= '0' && line.charAt(digits) <= '9') {
      digits++;
    }
    int after = digits + 1;
    boolean numbered =
        digits > 0
            && digits < line.length()
            && ".)".indexOf(line.charAt(digits)) >= 0
            && (after == line.length() || line.charAt(after) == ' ' || line.charAt(after) == '\t');
    return numbered ? digits : -1;
  }

  /** Text as an inline code span, for paragraphs and list items (not table cells). */
  static String code(String text) {
    String line = oneLine(text);
    if (line.isBlank()) {
      return "`\u00a0`";
    }
    String fence = "`".repeat(longestBacktickRun(line) + 1);
    // A span that starts or ends with a backtick needs a space so the fence is found.
    boolean pad = line.startsWith("`") || line.endsWith("`");
    String padding = pad ? " " : "";
    return fence + padding + line + padding + fence;
  }

  /** Text as an inline code span inside a table cell, where a pipe would end the cell. */
  static String codeCell(String text) {
    return code(text).replace("|", "\\|");
  }

  private static String oneLine(String text) {
    StringBuilder line = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      line.append(Character.isISOControl(c) && c != '\t' ? ' ' : c);
    }
    return line.toString();
  }

  private static int longestBacktickRun(String text) {
    int longest = 0;
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      run = text.charAt(i) == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return longest;
  }

  static String capitalized(String word) {
    return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }

  private static String share(long part, long whole) {
    if (part <= 0 || whole <= 0) {
      return "";
    }
    return " (" + formatPercent((double) part / whole) + ")";
  }

  /** A count with thousands separators, the same in every locale: {@code 1,234,567}. */
  static String formatCount(long count) {
    return String.format(Locale.ROOT, "%,d", count);
  }

  /** A byte count in binary units: {@code 512 B}, {@code 50.0 KiB}, {@code 1.5 GiB}. */
  static String formatBytes(long bytes) {
    if (bytes < 1024) {
      return formatCount(bytes) + " B";
    }
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, BYTE_UNITS[unit]);
  }

  /** A fraction as a percentage with enough digits to tell small shares from none. */
  static String formatPercent(double fraction) {
    return formatDecimal(fraction * 100) + "%";
  }

  /**
   * A decimal: integral values as counts, large ones to one place, others to 3 significant digits.
   */
  static String formatDecimal(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    if (value == Math.rint(value)) {
      return value == 0 ? "0" : String.format(Locale.ROOT, "%,.0f", value);
    }
    if (Math.abs(value) >= 100) {
      return String.format(Locale.ROOT, "%,.1f", value);
    }
    if (Math.abs(value) < 0.001) {
      return String.format(Locale.ROOT, "%.2e", value);
    }
    return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
  }

  /** An evidence value: counts and decimals formatted, text as is. */
  static String formatEvidence(Object value) {
    if (value instanceof Long number) {
      return formatCount(number);
    }
    if (value instanceof Double number) {
      return formatDecimal(number);
    }
    return String.valueOf(value);
  }

  /** The window as {@code <start> to <end> (<length>)}, times in ISO-8601 UTC. */
  static String window(Instant start, Instant end) {
    String span = start + " to " + end;
    Duration length = Duration.between(start, end);
    return length.isNegative() ? span : span + " (" + formatDuration(length) + ")";
  }

  /** A duration to the nearest second in its two largest units: {@code 1 h 5 min}. */
  static String formatDuration(Duration duration) {
    long seconds = duration.getSeconds() + (duration.getNano() >= 500_000_000 ? 1 : 0);
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return twoUnits(seconds / 60, "min", seconds % 60, "s");
    }
    if (seconds < 86_400) {
      return twoUnits(seconds / 3600, "h", seconds % 3600 / 60, "min");
    }
    return twoUnits(seconds / 86_400, "d", seconds % 86_400 / 3600, "h");
  }

  private static String twoUnits(long major, String majorUnit, long minor, String minorUnit) {
    String text = major + " " + majorUnit;
    return minor == 0 ? text : text + " " + minor + " " + minorUnit;
  }
}
