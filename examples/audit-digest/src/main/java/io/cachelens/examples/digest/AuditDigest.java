package io.cachelens.examples.digest;

import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.audit.Severity;
import io.cachelens.analysis.report.AuditJsonReader;
import io.cachelens.analysis.summary.CommandSummary;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.analysis.summary.ServiceSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Prints what CacheLens audits ({@code cachelens.audit/v1}) say, for the demo and with nothing
 * beyond a JDK: per service a headline, the busiest commands, the writes with and without a TTL per
 * key prefix, and every finding with its rule, severity, prefix, message and first call site.
 *
 * <p>Usage: {@code java -jar audit-digest.jar <service.json>...}. Exit status 0; 1 when a file
 * cannot be read or is not an audit (the others are still printed); 2 without files.
 */
public final class AuditDigest {

  private static final int BUSIEST_COMMANDS = 5;

  private AuditDigest() {}

  /** Prints the digest of every audit file named on the command line. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Does what {@link #main} does and returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("usage: java -jar audit-digest.jar <service.json>...");
      return 2;
    }
    int status = 0;
    boolean first = true;
    for (String arg : args) {
      Path file = Path.of(arg);
      ServiceAudit audit;
      try {
        audit = AuditJsonReader.parse(Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        err.println("cannot read " + file + ": " + e);
        status = 1;
        continue;
      } catch (IllegalArgumentException e) {
        err.println(file + " is not a CacheLens audit: " + e.getMessage());
        status = 1;
        continue;
      }
      if (!first) {
        out.println();
      }
      first = false;
      print(audit, out);
    }
    return status;
  }

  /** Renders one service's audit. */
  static void print(ServiceAudit audit, PrintStream out) {
    ServiceSummary summary = audit.summary();
    out.println(headline(audit));
    printBusiest(summary.commands(), out);
    printPrefixes(summary.prefixes(), out);
    printFindings(audit.findings(), out);
  }

  /** One line, as the agent prints it at exit, plus who and how long. */
  static String headline(ServiceAudit audit) {
    ServiceSummary summary = audit.summary();
    long withoutTtl = 0;
    for (PrefixSummary prefix : summary.prefixes()) {
      withoutTtl += prefix.writesWithoutTtl();
    }
    Duration window = Duration.between(summary.windowStart(), summary.windowEnd());
    return String.format(
        Locale.ROOT,
        "%s (pid %d on %s, %.1f s): %d commands, %d errors, %d key prefixes, %d writes without"
            + " TTL, %d connections opened; findings: %d critical, %d warning, %d info",
        summary.service(),
        summary.pid(),
        summary.host(),
        window.toMillis() / 1000.0,
        summary.totals().commands(),
        summary.totals().errors(),
        summary.prefixes().size(),
        withoutTtl,
        summary.totals().connectionsOpened(),
        count(audit.findings(), Severity.CRITICAL),
        count(audit.findings(), Severity.WARNING),
        count(audit.findings(), Severity.INFO));
  }

  private static void printBusiest(List<CommandSummary> commands, PrintStream out) {
    if (commands.isEmpty()) {
      return;
    }
    StringBuilder line = new StringBuilder("  busiest  ");
    // The audit lists commands by count, most first.
    for (int i = 0; i < Math.min(BUSIEST_COMMANDS, commands.size()); i++) {
      CommandSummary command = commands.get(i);
      line.append(i == 0 ? "" : ", ")
          .append(command.name())
          .append(' ')
          .append(command.count())
          .append(" (p99 ")
          .append(command.p99Micros())
          .append(" us)");
    }
    out.println(line);
  }

  private static void printPrefixes(List<PrefixSummary> prefixes, PrintStream out) {
    if (prefixes.isEmpty()) {
      out.println("  no key prefixes");
      return;
    }
    int width = "prefix".length();
    for (PrefixSummary prefix : prefixes) {
      width = Math.max(width, prefix.prefix().length());
    }
    String row = "  %-" + width + "s %8s %8s %9s %10s %12s%n";
    out.printf(
        Locale.ROOT, row, "prefix", "reads", "writes", "with TTL", "TTL later", "without TTL");
    for (PrefixSummary prefix : prefixes) {
      out.printf(
          Locale.ROOT,
          row,
          prefix.prefix(),
          prefix.reads(),
          prefix.writes(),
          prefix.writesWithTtl(),
          prefix.writesWithTtlLater(),
          prefix.writesWithoutTtl());
    }
  }

  private static void printFindings(List<Finding> findings, PrintStream out) {
    if (findings.isEmpty()) {
      out.println("  no findings");
      return;
    }
    out.println("  findings");
    for (Finding finding : findings) {
      out.printf(
          Locale.ROOT,
          "  %-8s  %s%s%n",
          finding.severity().label(),
          finding.rule(),
          finding.prefix() == null ? "" : " on " + finding.prefix());
      out.println("            " + finding.message());
      out.println(
          "            call site: "
              + (finding.callSites().isEmpty() ? "none recorded" : finding.callSites().get(0)));
    }
  }

  private static long count(List<Finding> findings, Severity severity) {
    return findings.stream().filter(finding -> finding.severity() == severity).count();
  }
}
