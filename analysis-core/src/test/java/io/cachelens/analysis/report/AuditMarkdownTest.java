package io.cachelens.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.analysis.audit.Finding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditMarkdownTest {

  private static final String FULL = AuditMarkdown.render(SampleAudits.full());

  @Test
  void titleNamesServiceHostPidAndWindow() {
    assertThat(FULL)
        .startsWith("# CacheLens audit: checkout\n")
        .contains(
            "Host `web-1`, pid 4242, window 2025-01-01T10:00:00Z to 2025-01-01T11:00:00Z (1 h).");
  }

  @Test
  void summaryTableHasTotalsAndFindingsBySeverity() {
    assertThat(FULL)
        .contains("| Commands | 1,234,567 |")
        .contains("| Errors | 321 (0.026%) |")
        .contains("| Internal commands | 64 |")
        .contains("| Connections opened | 36,000 |")
        .contains("| Connections closed | 35,990 |")
        .contains("| Critical findings | 2 |")
        .contains("| Warning findings | 1 |")
        .contains("| Info findings | 1 |");
  }

  @Test
  void findingsAreGroupedBySeverityMostUrgentFirst() {
    int critical = FULL.indexOf("### Critical (2)");
    int warning = FULL.indexOf("### Warning (1)");
    int info = FULL.indexOf("### Info (1)");

    assertThat(critical).isPositive();
    assertThat(warning).isGreaterThan(critical);
    assertThat(info).isGreaterThan(warning);
    assertThat(FULL.indexOf("#### `CONNECTION_CHURN` (service-wide)")).isBetween(critical, warning);
    assertThat(FULL.indexOf("#### `DANGEROUS_COMMAND` (service-wide)"))
        .isBetween(critical, warning);
    assertThat(FULL.indexOf("#### `NO_TTL_WRITES` on `product:cache:*`")).isBetween(warning, info);
    assertThat(FULL.indexOf("#### `HOT_KEY` on")).isGreaterThan(info);
  }

  @Test
  void everyFindingHasItsMessageEvidenceCallSitesAndRecommendation() {
    for (Finding finding : SampleAudits.full().findings()) {
      assertThat(FULL)
          .contains(AuditMarkdown.text(finding.message()))
          .contains("**Recommendation:** " + AuditMarkdown.text(finding.recommendation()));
      for (String site : finding.callSites()) {
        assertThat(FULL).contains("- " + AuditMarkdown.code(site) + "\n");
      }
    }
    assertThat(FULL)
        .contains("- `" + SampleAudits.RATE_LIMITER_SITE + "`\n")
        .contains("| opensPerMinute | 600 |")
        .contains("| shareWithoutTtl | 1 |")
        .contains("| exampleCommand | SET |")
        .contains("| p99Micros | 48,000 |")
        .contains("| share | 0.415 |");
  }

  @Test
  void prefixCommandAndConnectionTablesHaveFormattedNumbers() {
    assertThat(FULL)
        .contains(
            "| Prefix | Reads | Writes | Writes with TTL | Writes without TTL | TTL set later"
                + " | Bytes written | p50 µs | p99 µs |")
        .contains("| `product:cache:*` | 900,000 | 5,000 | 0 | 5,000 | 0 | 50.0 KiB | 170 | 900 |")
        .contains("| `session:*` | 100,000 | 200,000 | 199,000 | 0 | 1,000 | 3.0 MiB | 190 | 980 |")
        .contains("| `rate:*` | 0 | 29,000 | 29,000 | 0 | 0 | 812 B | 150 | 700 |")
        .contains("| `GET` | 1,000,000 | 12 | 180 | 950 |")
        .contains("| `KEYS` | 12 | 0 | 21,000 | 48,000 |")
        .contains("| Lifetime p50 / p99 | 3 ms / 12 ms |")
        .contains("| Commands per connection p50 / p99 | 2 / 2 |")
        .contains("| Peak opens per minute | 608 |")
        .contains("stacks captured for 35,400 of 36,000 opens")
        .contains("| `" + SampleAudits.RATE_LIMITER_SITE + "` | 35,000 |")
        .contains("| `<other>` | 400 |");
  }

  @Test
  void hostileTextCannotBreakTablesOrBecomeHtml() {
    List<String> tableRows = FULL.lines().filter(line -> line.startsWith("|")).toList();

    for (String row : tableRows) {
      assertThat(row).endsWith(" |");
    }
    assertThat(cellCounts(FULL, "| Prefix |")).hasSize(6).containsOnly(9);
    assertThat(cellCounts(FULL, "| Evidence |")).hasSize(19).containsOnly(2);
    // The hostile prefix stays on one table row, as one code span with its pipe escaped.
    assertThat(FULL)
        .contains(
            "| ``<script>alert(1)</script>\\|`x` \"><b id=\"pwned\">*`` | 555 | 0 | 0 | 0 | 0"
                + " | 0 B | 160 | 800 |");
    // Free text outside code spans is escaped, so Markdown renders no tags from it.
    assertThat(FULL)
        .contains("Key \\<img src=x\\> \\& \"friends\" \\| took 41.5% of commands")
        .contains("**Recommendation:** Cache \\<em\\>locally\\</em\\> \\& spread \\| the load.")
        .contains("| key | \\<i\\>hot\\</i\\> |")
        .doesNotContain("\n<");
  }

  @Test
  void emptyAuditSaysSoInEverySection() {
    String markdown = AuditMarkdown.render(SampleAudits.empty());

    assertThat(markdown)
        .startsWith("# CacheLens audit: idle\n")
        .contains("| Commands | 0 |")
        .contains("| Errors | 0 |")
        .contains("| Critical findings | 0 |")
        .contains("\nNo findings.\n")
        .contains("No key prefixes recorded.")
        .contains("No commands recorded.")
        .contains("No connections were opened or closed in the window.")
        .doesNotContain("### Critical");
  }

  @Test
  void longTablesStopAtTheRowLimitAndSaySo() {
    int prefixes = AuditMarkdown.TABLE_ROWS + 25;
    String markdown = AuditMarkdown.render(SampleAudits.withPrefixes(prefixes));

    assertThat(markdown)
        .contains("| `prefix-0:*` |")
        .contains("| `prefix-" + (AuditMarkdown.TABLE_ROWS - 1) + ":*` |")
        .doesNotContain("| `prefix-" + AuditMarkdown.TABLE_ROWS + ":*` |")
        .contains("25 more prefixes are in the JSON report.");
  }

  @Test
  void freeTextEscapesMarkdownSyntax() {
    assertThat(AuditMarkdown.text("a *b* _c_ [d](e) `f` # g ~h~ \\i"))
        .isEqualTo("a \\*b\\* \\_c\\_ \\[d\\](e) \\`f\\` \\# g \\~h\\~ \\\\i");
    assertThat(AuditMarkdown.text("- not a list")).isEqualTo("\\- not a list");
    assertThat(AuditMarkdown.text("12. not a list")).isEqualTo("12\\. not a list");
    assertThat(AuditMarkdown.text("12 is a number")).isEqualTo("12 is a number");
    assertThat(AuditMarkdown.text("two\nlines\r\nhere")).isEqualTo("two lines  here");
  }

  @Test
  void codeSpansFenceAroundBackticksAndStayOnOneLine() {
    assertThat(AuditMarkdown.code("product:cache:*")).isEqualTo("`product:cache:*`");
    assertThat(AuditMarkdown.code("a`b")).isEqualTo("``a`b``");
    assertThat(AuditMarkdown.code("`x``")).isEqualTo("``` `x`` ```");
    assertThat(AuditMarkdown.code("a\nb")).isEqualTo("`a b`");
    assertThat(AuditMarkdown.code("")).isEqualTo("`\u00a0`");
    assertThat(AuditMarkdown.codeCell("a|b")).isEqualTo("`a\\|b`");
  }

  @Test
  void numbersAreFormattedTheSameInEveryLocale() {
    assertThat(AuditMarkdown.formatCount(0)).isEqualTo("0");
    assertThat(AuditMarkdown.formatCount(1_234_567)).isEqualTo("1,234,567");
    assertThat(AuditMarkdown.formatCount(Long.MAX_VALUE)).isEqualTo("9,223,372,036,854,775,807");
    assertThat(AuditMarkdown.formatBytes(1023)).isEqualTo("1,023 B");
    assertThat(AuditMarkdown.formatBytes(1024)).isEqualTo("1.0 KiB");
    assertThat(AuditMarkdown.formatBytes(3L << 30)).isEqualTo("3.0 GiB");
    assertThat(AuditMarkdown.formatBytes(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
    assertThat(AuditMarkdown.formatDecimal(0.415)).isEqualTo("0.415");
    assertThat(AuditMarkdown.formatDecimal(2.0)).isEqualTo("2");
    assertThat(AuditMarkdown.formatDecimal(1234.56)).isEqualTo("1,234.6");
    assertThat(AuditMarkdown.formatDecimal(0.0000123)).isEqualTo("1.23e-05");
    assertThat(AuditMarkdown.formatDecimal(Double.NaN)).isEqualTo("NaN");
    assertThat(AuditMarkdown.formatPercent(0.5)).isEqualTo("50%");
    assertThat(AuditMarkdown.formatDuration(Duration.ofMillis(59_400))).isEqualTo("59 s");
    assertThat(AuditMarkdown.formatDuration(Duration.ofSeconds(125))).isEqualTo("2 min 5 s");
    assertThat(AuditMarkdown.formatDuration(Duration.ofMinutes(65))).isEqualTo("1 h 5 min");
    assertThat(AuditMarkdown.formatDuration(Duration.ofHours(49))).isEqualTo("2 d 1 h");
  }

  /**
   * How many cells each row of every table headed by {@code header} has, counting the pipes that
   * are not escaped.
   */
  private static List<Integer> cellCounts(String markdown, String header) {
    List<Integer> counts = new ArrayList<>();
    for (int start = markdown.indexOf(header);
        start >= 0;
        start = markdown.indexOf(header, start + 1)) {
      for (String line : markdown.substring(start).split("\n", -1)) {
        if (!line.startsWith("|")) {
          break;
        }
        int separators = 0;
        for (int i = 0; i < line.length(); i++) {
          if (line.charAt(i) == '|' && (i == 0 || line.charAt(i - 1) != '\\')) {
            separators++;
          }
        }
        counts.add(separators - 1);
      }
    }
    return counts;
  }
}
