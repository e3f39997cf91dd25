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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FleetHtmlTest {

  private static final Pattern FINDING =
      Pattern.compile(
          "<section class=\"finding\" data-rule=\"([^\"]*)\" data-severity=\"([^\"]*)\""
              + " data-service=\"([^\"]*)\">");

  private static List<String> findingAttributes(String html) {
    Matcher matcher = FINDING.matcher(html);
    List<String> found = new ArrayList<>();
    while (matcher.find()) {
      found.add(matcher.group(1) + " " + matcher.group(2) + " " + matcher.group(3));
    }
    return found;
  }

  @Test
  void marksEachFindingWithItsRuleSeverityAndService() {
    String html = FleetHtml.toHtml(FleetFixtures.fleet());

    assertThat(findingAttributes(html))
        .containsExactly(
            "NO_TTL_WRITES critical checkout",
            "CONNECTION_CHURN info checkout",
            "HOT_KEY info cart");
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("<style>")
        .contains("Reported by 2 of 2 instances: web-1, web-2")
        .contains("<dt>writesWithoutTtl</dt><dd>40</dd>")
        .contains("<tr><td><code>product:cache:*</code></td>")
        .endsWith("</html>\n");
  }

  @Test
  void fetchesNothingAndRunsNothing() {
    String html = FleetHtml.toHtml(FleetFixtures.fleet());

    assertThat(html)
        .contains("Content-Security-Policy\" content=\"default-src 'none'")
        .doesNotContainPattern("(?i)<(script|link|img|iframe|object)")
        .doesNotContainPattern("(?i)\\s(src|href)=")
        .doesNotContain("url(");
  }

  @Test
  void escapesEveryStringFromTheAudits() {
    String hostile = "<img src=x onerror=alert(1)>\"'&";
    ServiceAudit audit =
        new ServiceAudit(
            new ServiceSummary(
                hostile,
                hostile,
                1,
                FleetFixtures.at("10:00:00"),
                FleetFixtures.at("10:01:00"),
                new SummaryTotals(1, 0, 0, 0, 0),
                List.of(),
                List.of(new PrefixSummary(hostile, 1, 0, 0, 0, 0, 0, 1, 1))),
            ConnectionSummary.none(FleetFixtures.at("10:00:00")),
            List.of(
                new Finding(
                    AuditRule.HOT_KEY,
                    Severity.WARNING,
                    hostile,
                    hostile,
                    Map.of(hostile, hostile),
                    List.of(hostile),
                    hostile)));

    String html = FleetHtml.toHtml(FleetAudit.merge(List.of(audit)));

    String escaped = "&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;";
    assertThat(html).doesNotContain("<img").doesNotContain("\"'&");
    assertThat(findingAttributes(html)).containsExactly("HOT_KEY warning " + escaped);
    // Services table: service, hosts; prefix table: the service under each of the three figures,
    // the prefix; the finding: data-service, service, prefix, message, hosts, evidence key and
    // value, call site, recommendation.
    assertThat(html.split(Pattern.quote(escaped), -1).length - 1).isEqualTo(15);
  }

  @Test
  void saysSoWhenThereIsNothingToMerge() {
    String html = FleetHtml.toHtml(FleetAudit.merge(List.of()));

    assertThat(html).contains("<p>No audits to merge.</p>").doesNotContain("class=\"finding\"");
  }
}
