package io.cachelens.analysis.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.analysis.audit.AuditRule;
import io.cachelens.analysis.audit.ConnectionSummary;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.audit.Severity;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.analysis.summary.ServiceSummary;
import io.cachelens.analysis.summary.SummaryTotals;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetMarkdownTest {

  @Test
  void rendersServicesPrefixColumnsAndFindings() {
    String md = FleetMarkdown.toMarkdown(FleetFixtures.fleet());

    assertThat(md)
        .startsWith("# CacheLens fleet audit\n\n")
        .contains(
            "2 services, 3 instances, 3 findings (1 critical, 0 warning, 2 info), from"
                + " 2025-01-01T09:58:00Z to 2025-01-01T10:10:00Z.")
        .contains("| checkout | 2 | web-1, web-2 | 400 | 2 | 40 | 1 | 0 | 1 |")
        .contains("| cart | 1 | web-3 | 50 | 0 | 0 | 0 | 0 | 1 |")
        .contains("### Writes without TTL\n\n| Prefix | cart | checkout | Total |")
        .contains("| `product:cache:*` | 5 | 40 | 45 |")
        .contains("| `cart:*` | 0 | – | 0 |")
        .contains("### Bytes written")
        .contains("| `product:cache:*` | 500 | 8,000 | 8,500 |")
        .contains("### CRITICAL · NO_TTL_WRITES · checkout · `product:cache:*`")
        .contains("Reported by 2 of 2 instances (web-1, web-2).")
        .contains("- writesWithoutTtl: 40\n- share: 0.5\n- p99Micros: 900\n- example: p:1\n")
        .contains("- `com.acme.Jobs.run(Jobs.java:30)`")
        .contains("**Recommendation:** Set an expiry (web-2).")
        .endsWith("\n");
  }

  @Test
  void escapesTextThatMarkdownWouldInterpret() {
    ServiceAudit audit =
        new ServiceAudit(
            new ServiceSummary(
                "pay|ments*",
                "# host",
                1,
                FleetFixtures.at("10:00:00"),
                FleetFixtures.at("10:01:00"),
                new SummaryTotals(1, 0, 0, 0, 0),
                List.of(),
                List.of(new PrefixSummary("a|`b`", 1, 0, 0, 0, 0, 0, 1, 1))),
            ConnectionSummary.none(FleetFixtures.at("10:00:00")),
            List.of(
                new Finding(
                    AuditRule.DANGEROUS_COMMAND,
                    Severity.WARNING,
                    null,
                    "KEYS * ran\n<script>x</script> [link](http://x)",
                    Map.of(),
                    List.of(),
                    "Use SCAN")));

    String md = FleetMarkdown.toMarkdown(FleetAudit.merge(List.of(audit)));

    assertThat(md)
        .contains("| pay\\|ments\\* | 1 | \\# host |")
        .contains("| `` a\\|`b` `` |")
        .contains("KEYS \\* ran \\<script\\>x\\</script\\> \\[link\\](http://x)")
        .doesNotContain("<script>");
  }

  @Test
  void saysSoWhenThereIsNothingToMerge() {
    assertThat(FleetMarkdown.toMarkdown(FleetAudit.merge(List.of())))
        .isEqualTo("# CacheLens fleet audit\n\nNo audits to merge.\n");
  }

  @Test
  void fencesCodeWithMoreBackticksThanItHolds() {
    assertThat(FleetMarkdown.code("plain", false)).isEqualTo("`plain`");
    assertThat(FleetMarkdown.code("a``b", false)).isEqualTo("```a``b```");
    assertThat(FleetMarkdown.code("`x", false)).isEqualTo("`` `x ``");
  }
}
