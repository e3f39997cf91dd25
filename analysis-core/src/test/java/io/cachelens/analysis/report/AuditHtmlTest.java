package io.cachelens.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cachelens.analysis.audit.CallSiteCount;
import io.cachelens.analysis.audit.ConnectionSummary;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.summary.CommandSummary;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.analysis.summary.ServiceSummary;
import io.cachelens.analysis.summary.SummaryTotals;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class AuditHtmlTest {

  private static final String FULL = AuditHtml.render(SampleAudits.full());

  @Test
  void pageIsWellFormedAndSelfContained() throws Exception {
    // The page is written as XHTML-compatible markup, so an XML parser checks its nesting.
    Document page = parse(FULL);

    assertThat(FULL)
        .startsWith("<!DOCTYPE html>\n<html lang=\"en\">")
        .endsWith("</html>\n")
        .contains("<meta charset=\"utf-8\"/>");
    assertThat(attributes(page, "//meta[@http-equiv='Content-Security-Policy']", "content"))
        .containsExactly(
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
    assertThat(
            nodes(
                page,
                "//script | //link | //img | //iframe | //object | //embed | //image | //use"
                    + " | //*[@src or @srcset or @background]"))
        .isEmpty();
    List<String> links = new ArrayList<>();
    for (Node href : nodeList(page, "//@*[contains(name(), 'href')]")) {
      links.add(href.getNodeValue());
    }
    assertThat(links).hasSize(4).allMatch(link -> link.startsWith("#"));
    assertThat(nodes(page, "//*[@*[starts-with(name(), 'on')]]")).isEmpty();
    assertThat(texts(page, "//style"))
        .singleElement()
        .asString()
        .doesNotContainIgnoringCase("url(")
        .doesNotContainIgnoringCase("@import")
        .doesNotContainIgnoringCase("@font-face");
  }

  @Test
  void hostileTextIsShownAsTextAndNeverAsMarkup() throws Exception {
    Document page = parse(FULL);

    assertThat(FULL)
        .doesNotContain("<script>alert(1)</script>")
        .doesNotContain("<b id=\"pwned\">")
        .doesNotContain("<img src=x>")
        .doesNotContain("<em>locally</em>")
        .doesNotContain("<i>hot</i>")
        .doesNotContain("<b>evil</b>")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;|`x`")
        .contains("&quot;&gt;&lt;b id=&quot;pwned&quot;&gt;*");
    assertThat(nodes(page, "//*[@id='pwned'] | //b | //i | //em | //img | //script")).isEmpty();
    Element hostile = only(page, "//article[@data-rule='HOT_KEY']");
    assertThat(text(only(hostile, ".//h4/code[2]"))).isEqualTo(SampleAudits.HOSTILE_PREFIX);
    assertThat(text(only(hostile, ".//p[@class='message']")))
        .isEqualTo(SampleAudits.hostile().message());
    assertThat(texts(page, "//table//td/code")).contains(SampleAudits.HOSTILE_PREFIX);
  }

  @Test
  void escapingCoversTextAttributesAndControlCharacters() {
    assertThat(Html.escape("<a href=\"x\">Tom & 'Jerry'</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
    assertThat(Html.escape("tab\tnew\nline\u0000bell\u0007"))
        .isEqualTo("tab\tnew\nline\uFFFDbell\uFFFD");
    assertThat(new Html().open("p", "title", "\"><x>").text("<y>").close("p").toString())
        .isEqualTo("<p title=\"&quot;&gt;&lt;x&gt;\">&lt;y&gt;</p>");
  }

  @Test
  void everyFindingIsPresentWithItsRecommendationAndCallSites() throws Exception {
    ServiceAudit audit = SampleAudits.full();
    Document page = parse(AuditHtml.render(audit));

    List<Element> findings = nodes(page, "//article[contains(@class,'finding')]");
    assertThat(findings).hasSize(audit.findings().size());
    for (int i = 0; i < findings.size(); i++) {
      Finding expected = audit.findings().get(i);
      Element finding = findings.get(i);
      assertThat(finding.getAttribute("data-rule")).isEqualTo(expected.rule().name());
      assertThat(finding.getAttribute("data-severity")).isEqualTo(expected.severity().label());
      assertThat(text(only(finding, ".//p[@class='message']"))).isEqualTo(expected.message());
      assertThat(text(only(finding, ".//p[@class='recommendation']")))
          .isEqualTo("Recommendation: " + expected.recommendation());
      assertThat(texts(finding, ".//ul[@class='sites']/li/code"))
          .containsExactlyElementsOf(expected.callSites());
      assertThat(texts(finding, ".//table[@class='evidence']//th"))
          .containsExactlyElementsOf(expected.evidence().keySet());
    }
    assertThat(texts(page, "//article[@data-rule='NO_TTL_WRITES']//td"))
        .containsExactly("5,000", "1", "SET");
  }

  @Test
  void findingsAreGroupedBySeverityUnderHeadings() throws Exception {
    Document page = parse(FULL);

    assertThat(texts(page, "//section[@id='findings']/h3"))
        .containsExactly("Critical (2)", "Warning (1)", "Info (1)");
    assertThat(attributes(page, "//article", "data-severity"))
        .containsExactly("critical", "critical", "warning", "info");
    assertThat(attributes(page, "//article", "data-rule"))
        .containsExactly("CONNECTION_CHURN", "DANGEROUS_COMMAND", "NO_TTL_WRITES", "HOT_KEY");
    assertThat(FULL).doesNotContain("No findings.");
  }

  @Test
  void headlineNumbersAndTablesAreFormatted() throws Exception {
    Document page = parse(FULL);

    assertThat(texts(page, "//header//dd"))
        .containsExactly("web-1", "4242", "2025-01-01T10:00:00Z to 2025-01-01T11:00:00Z (1 h)");
    assertThat(texts(page, "//section[@aria-label='Headline numbers']//li"))
        .containsExactly(
            "1,234,567commands",
            "321errors (0.026%)",
            "64internal commands",
            "36,000connections opened",
            "35,990connections closed",
            "2critical findings",
            "1warning findings",
            "1info findings");
    assertThat(texts(page, "//section[@id='prefixes']//tbody/tr[1]/td"))
        .containsExactly(
            "product:cache:*", "900,000", "5,000", "0", "5,000", "0", "50.0 KiB", "170", "900");
    assertThat(texts(page, "//section[@id='commands']//tbody/tr[2]/td"))
        .containsExactly("SET", "234,000", "309", "210", "1,100");
    assertThat(texts(page, "//section[@id='connections']//li"))
        .containsExactly(
            "36,000opened",
            "35,990closed",
            "3 / 12lifetime p50 / p99 ms",
            "2 / 2commands per connection p50 / p99",
            "608peak opens per minute");
    assertThat(texts(page, "//section[@id='connections']//tbody/tr/td"))
        .containsExactly(
            SampleAudits.RATE_LIMITER_SITE, "35,000", "98.9%", CallSiteCount.OTHER, "400", "1.13%");
  }

  @Test
  void chartsShowPrefixesConnectionsAndLatency() throws Exception {
    Document page = parse(FULL);

    assertThat(attributes(page, "//svg", "aria-labelledby"))
        .containsExactly(
            "chart-commands-title",
            "chart-without-ttl-title",
            "chart-bytes-title",
            "chart-opens-title",
            "chart-latency-title");
    // Bars are sorted by the chart's measure and zero values are left out.
    assertThat(texts(page, "//svg[@aria-labelledby='chart-commands-title']/g/title"))
        .containsExactly(
            "product:cache:*: 905,000",
            "session:*: 300,000",
            "rate:*: 29,000",
            SampleAudits.HOSTILE_PREFIX + ": 555");
    assertThat(texts(page, "//svg[@aria-labelledby='chart-without-ttl-title']/g/title"))
        .containsExactly("product:cache:*: 5,000");
    assertThat(texts(page, "//svg[@aria-labelledby='chart-bytes-title']/g/title"))
        .containsExactly("session:*: 3.0 MiB", "product:cache:*: 50.0 KiB", "rate:*: 812 B");
    // One column per minute with opens: 60 minutes, six of them without.
    assertThat(nodes(page, "//svg[@aria-labelledby='chart-opens-title']//rect")).hasSize(54);
    assertThat(texts(page, "//svg[@aria-labelledby='chart-opens-title']/text"))
        .contains("0", "608", "10:00", "10:10", "10:50");
    assertThat(texts(page, "//svg[@aria-labelledby='chart-latency-title']/g/title"))
        .containsExactly(
            "GET: p50 / p99 180 / 950 µs",
            "SET: p50 / p99 210 / 1,100 µs",
            "KEYS: p50 / p99 21,000 / 48,000 µs");
  }

  @Test
  void barLengthsFollowTheValues() throws Exception {
    Document page = parse(FULL);

    List<Double> widths = new ArrayList<>();
    for (Element rect : nodes(page, "//svg[@aria-labelledby='chart-bytes-title']/g/rect")) {
      widths.add(Double.parseDouble(rect.getAttribute("width")));
    }
    // 3 MiB fills the bar area; 51,200 bytes is 1/61 of that; 812 bytes gets the 1 px minimum.
    assertThat(widths).hasSize(3);
    assertThat(widths.get(0)).isEqualTo(350.0);
    assertThat(widths.get(1)).isCloseTo(350.0 * 51_200 / (3 << 20), within(0.1));
    assertThat(widths.get(2)).isEqualTo(1.0);
  }

  @Test
  void emptyAuditSaysSoAndDrawsNoCharts() throws Exception {
    String html = AuditHtml.render(SampleAudits.empty());
    Document page = parse(html);

    assertThat(texts(page, "//p[@class='none']"))
        .containsExactly(
            "No findings.",
            "No key prefixes recorded.",
            "No connections were opened or closed in the window.",
            "No commands recorded.");
    assertThat(nodes(page, "//svg | //article | //table")).isEmpty();
    assertThat(texts(page, "//h1")).containsExactly("idle");
  }

  @Test
  void chartsStopAtTheTopPrefixesAndSayHowManyMore() throws Exception {
    int prefixes = AuditHtml.CHART_ROWS + 15;
    Document page = parse(AuditHtml.render(SampleAudits.withPrefixes(prefixes)));

    assertThat(nodes(page, "//svg[@aria-labelledby='chart-commands-title']/g"))
        .hasSize(AuditHtml.CHART_ROWS);
    assertThat(texts(page, "//section[@id='prefixes']//figcaption/span"))
        .containsExactly("Top 30 of 45 prefixes; 15 more in the table below.");
    assertThat(nodes(page, "//section[@id='prefixes']//tbody/tr")).hasSize(prefixes);
    assertThat(texts(page, "//section[@id='prefixes']//p[@class='none']"))
        .containsExactly(
            "No prefix has writes that left a key without a TTL.", "No bytes written.");
  }

  @Test
  void tablesStopAtTheRowLimitAndSaySo() throws Exception {
    int prefixes = AuditHtml.TABLE_ROWS + 3;
    Document page = parse(AuditHtml.render(SampleAudits.withPrefixes(prefixes)));

    assertThat(nodes(page, "//section[@id='prefixes']//tbody/tr")).hasSize(AuditHtml.TABLE_ROWS);
    assertThat(texts(page, "//section[@id='prefixes']/p[@class='none']"))
        .contains("3 more prefixes are in the JSON report.");
  }

  @Test
  void hugeNumbersAndLongHistoriesStayReadable() throws Exception {
    long huge = Long.MAX_VALUE;
    List<Long> minutes = new ArrayList<>(Collections.nCopies(AuditHtml.CHART_MINUTES + 100, 1L));
    minutes.set(minutes.size() - 1, huge);
    ServiceSummary summary =
        new ServiceSummary(
            "huge",
            "web-9",
            9,
            SampleAudits.START,
            SampleAudits.END,
            new SummaryTotals(huge, huge, huge, huge, huge),
            List.of(new CommandSummary("GET", huge, huge, huge, huge)),
            List.of(new PrefixSummary("p:*", huge, huge, huge, huge, huge, huge, huge, huge)));
    ConnectionSummary connections =
        new ConnectionSummary(
            huge, huge, huge, huge, huge, huge, SampleAudits.START, minutes, List.of(), 0);
    String html = AuditHtml.render(new ServiceAudit(summary, connections, List.of()));
    Document page = parse(html);

    assertThat(html)
        .contains("9,223,372,036,854,775,807")
        .contains("8.0 EiB")
        .doesNotContain("NaN")
        .doesNotContain("Infinity");
    assertThat(texts(page, "//svg[@aria-labelledby='chart-commands-title']/g/title"))
        .containsExactly("p:*: 9,223,372,036,854,775,807");
    assertThat(nodes(page, "//svg[@aria-labelledby='chart-opens-title']//rect"))
        .hasSize(AuditHtml.CHART_MINUTES);
    assertThat(texts(page, "//section[@id='connections']//figcaption/span"))
        .singleElement()
        .asString()
        .contains("1,440 minutes from 2025-01-01T11:40:00Z")
        .contains("the 100 earlier minutes are in the JSON report");
    assertThat(texts(page, "//section[@id='connections']//p[@class='none']"))
        .containsExactly("No call sites were captured for connection opens.");
  }

  private static Document parse(String html) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<Node> nodeList(Object context, String expression) throws Exception {
    XPath xpath = XPathFactory.newInstance().newXPath();
    NodeList found = (NodeList) xpath.evaluate(expression, context, XPathConstants.NODESET);
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < found.getLength(); i++) {
      nodes.add(found.item(i));
    }
    return nodes;
  }

  private static List<Element> nodes(Object context, String expression) throws Exception {
    List<Element> elements = new ArrayList<>();
    for (Node node : nodeList(context, expression)) {
      elements.add((Element) node);
    }
    return elements;
  }

  private static Element only(Object context, String expression) throws Exception {
    List<Element> found = nodes(context, expression);
    assertThat(found).as(expression).hasSize(1);
    return found.get(0);
  }

  private static List<String> texts(Object context, String expression) throws Exception {
    List<String> texts = new ArrayList<>();
    for (Element element : nodes(context, expression)) {
      texts.add(text(element));
    }
    return texts;
  }

  private static List<String> attributes(Object context, String expression, String attribute)
      throws Exception {
    List<String> values = new ArrayList<>();
    for (Element element : nodes(context, expression)) {
      values.add(element.getAttribute(attribute));
    }
    return values;
  }

  private static String text(Element element) {
    return element.getTextContent();
  }
}
