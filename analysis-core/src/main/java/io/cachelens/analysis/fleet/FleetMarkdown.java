package io.cachelens.analysis.fleet;

import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.Severity;
import io.cachelens.analysis.summary.PrefixSummary;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Renders a {@link FleetAudit} as GitHub-flavoured Markdown, {@code fleet.md}: the services, one
 * table per prefix figure with a column per service, and the merged findings.
 *
 * <p>Text from the audits is escaped, so a service name, prefix or message cannot start a heading,
 * a link, HTML or a new table cell.
 */
public final class FleetMarkdown {

  private FleetMarkdown() {}

  /** The fleet audit as a Markdown document ending with a newline. */
  public static String toMarkdown(FleetAudit fleet) {
    StringBuilder md = new StringBuilder(8192);
    md.append("# CacheLens fleet audit\n\n");
    if (fleet.audits().isEmpty()) {
      md.append("No audits to merge.\n");
      return md.toString();
    }
    md.append(text(fleet.counts())).append(", from ");
    md.append(fleet.windowStart().orElseThrow()).append(" to ");
    md.append(fleet.windowEnd().orElseThrow()).append(".\n\n");
    fleet
        .skippedNote()
        .ifPresent(note -> md.append("**Note:** ").append(text(note)).append(".\n\n"));

    appendServices(md, fleet);
    md.append("## Key prefixes\n\n");
    if (fleet.prefixes().isEmpty()) {
      md.append("No key prefixes.\n\n");
    } else {
      appendPrefixTable(md, fleet, "Writes without TTL", PrefixSummary::writesWithoutTtl);
      appendPrefixTable(md, fleet, "Reads and writes", prefix -> prefix.reads() + prefix.writes());
      appendPrefixTable(md, fleet, "Bytes written", PrefixSummary::bytesWritten);
    }
    appendFindings(md, fleet);
    return md.toString();
  }

  private static void appendServices(StringBuilder md, FleetAudit fleet) {
    md.append("## Services\n\n");
    md.append("| Service | Instances | Hosts | Commands | Errors | Connections opened |");
    for (Severity severity : Severity.values()) {
      md.append(' ').append(capitalized(severity.label())).append(" |");
    }
    md.append("\n|---|--:|---|--:|--:|--:|");
    md.append("--:|".repeat(Severity.values().length)).append('\n');
    for (FleetService service : fleet.services()) {
      md.append("| ").append(text(service.service()));
      md.append(" | ").append(service.instances());
      md.append(" | ").append(text(String.join(", ", service.hosts())));
      md.append(" | ").append(FleetText.count(service.totals().commands()));
      md.append(" | ").append(FleetText.count(service.totals().errors()));
      md.append(" | ").append(FleetText.count(service.connections().opened()));
      for (Severity severity : Severity.values()) {
        long count =
            fleet.findings().stream()
                .filter(finding -> finding.service().equals(service.service()))
                .filter(finding -> finding.finding().severity() == severity)
                .count();
        md.append(" | ").append(count);
      }
      md.append(" |\n");
    }
    md.append('\n');
  }

  private static void appendPrefixTable(
      StringBuilder md, FleetAudit fleet, String title, ToLongFunction<PrefixSummary> figure) {
    md.append("### ").append(title).append("\n\n| Prefix |");
    for (FleetService service : fleet.services()) {
      md.append(' ').append(text(service.service())).append(" |");
    }
    md.append(" Total |\n|---|");
    md.append("--:|".repeat(fleet.services().size() + 1)).append('\n');
    for (FleetPrefixRow row : fleet.prefixes()) {
      md.append("| ").append(code(row.prefix(), true)).append(" |");
      long total = 0;
      for (FleetService service : fleet.services()) {
        PrefixSummary prefix = row.byService().get(service.service());
        if (prefix == null) {
          md.append(" – |");
        } else {
          long value = figure.applyAsLong(prefix);
          total += value;
          md.append(' ').append(FleetText.count(value)).append(" |");
        }
      }
      md.append(' ').append(FleetText.count(total)).append(" |\n");
    }
    md.append('\n');
  }

  private static void appendFindings(StringBuilder md, FleetAudit fleet) {
    md.append("## Findings\n\n");
    if (fleet.findings().isEmpty()) {
      md.append("No findings.\n");
      return;
    }
    for (FleetFinding fleetFinding : fleet.findings()) {
      Finding finding = fleetFinding.finding();
      md.append("### ").append(finding.severity().label().toUpperCase(Locale.ROOT));
      md.append(" · ").append(finding.rule().name());
      md.append(" · ").append(text(fleetFinding.service()));
      if (finding.prefix() != null) {
        md.append(" · ").append(code(finding.prefix(), false));
      }
      md.append("\n\n").append(text(finding.message())).append("\n\n");
      md.append("Reported by ").append(fleetFinding.reportedBy());
      md.append(" of ").append(fleetFinding.instances());
      md.append(fleetFinding.instances() == 1 ? " instance" : " instances");
      md.append(" (").append(text(String.join(", ", fleetFinding.hosts()))).append(").\n\n");
      if (!finding.evidence().isEmpty()) {
        md.append("Evidence:\n\n");
        for (Map.Entry<String, Object> entry : finding.evidence().entrySet()) {
          md.append("- ").append(text(entry.getKey())).append(": ");
          md.append(text(FleetText.evidence(entry.getValue()))).append('\n');
        }
        md.append('\n');
      }
      List<String> callSites = finding.callSites();
      if (!callSites.isEmpty()) {
        md.append("Call sites:\n\n");
        for (String site : callSites) {
          md.append("- ").append(code(site, false)).append('\n');
        }
        md.append('\n');
      }
      md.append("**Recommendation:** ").append(text(finding.recommendation())).append("\n\n");
    }
  }

  private static String capitalized(String label) {
    return Character.toUpperCase(label.charAt(0)) + label.substring(1);
  }

  /**
   * Text with every character that Markdown or HTML could act on backslash-escaped and line breaks
   * flattened, so it stays one run of plain text wherever it is placed.
   */
  static String text(String value) {
    StringBuilder escaped = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\n' || c == '\r') {
        escaped.append(' ');
      } else if ("\\`*_[]<>|#~&!".indexOf(c) >= 0
          || (i == 0 && (c == '-' || c == '+' || c == '='))) {
        escaped.append('\\').append(c);
      } else {
        escaped.append(c);
      }
    }
    return escaped.toString();
  }

  /**
   * An inline code span of {@code value}, fenced by more backticks than it contains in a row; in a
   * table, its pipes are escaped as the table syntax needs even inside code.
   */
  static String code(String value, boolean inTable) {
    String flat = value.replace('\n', ' ').replace('\r', ' ');
    if (inTable) {
      flat = flat.replace("|", "\\|");
    }
    int longestRun = 0;
    int run = 0;
    for (int i = 0; i < flat.length(); i++) {
      run = flat.charAt(i) == '`' ? run + 1 : 0;
      longestRun = Math.max(longestRun, run);
    }
    String fence = "`".repeat(longestRun + 1);
    // A space keeps a backtick at either end from joining the fence; Markdown strips one of each.
    boolean pad = flat.startsWith("`") || flat.endsWith("`") || flat.isBlank();
    String inner = pad ? " " + flat + " " : flat;
    return fence + inner + fence;
  }
}
