package io.cachelens.analysis.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.analysis.audit.AuditRule;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.json.JsonReader;
import io.cachelens.analysis.report.AuditJsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An audit written by a newer agent, with a rule and a severity this version does not know, merges
 * with the others: its unknown findings are left out and counted, never failing the file.
 */
class FleetNewerAuditTest {
  private static final String NEWER = "/fleet/newer-agent-audit.json";
  private static final String NOTE =
      "skipped 3 findings this version does not know (rule CACHE_STAMPEDE: 2, severity notice: 1);"
          + " merge with the newer CacheLens that wrote them to see them";

  private static String fixture() throws IOException {
    try (InputStream in = FleetNewerAuditTest.class.getResourceAsStream(NEWER)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> array(Object value) {
    return (List<Object>) value;
  }

  private static FleetAudit fleet() throws IOException {
    ServiceAudit newer = AuditJsonReader.parse(fixture());
    return FleetAudit.merge(List.of(FleetFixtures.checkoutWeb1(), newer, FleetFixtures.cartWeb3()));
  }

  @Test
  void readsTheNewerAuditLeavingOutWhatItDoesNotKnow() throws IOException {
    ServiceAudit newer = AuditJsonReader.parse(fixture());

    assertThat(newer.findings()).extracting(Finding::rule).containsExactly(AuditRule.NO_TTL_WRITES);
    assertThat(newer.skippedFindings())
        .containsExactly(Map.entry("rule CACHE_STAMPEDE", 2L), Map.entry("severity notice", 1L));
    assertThat(newer.summary().totals().commands()).isEqualTo(100);
    assertThat(newer.connections().opened()).isEqualTo(1);
  }

  @Test
  void mergesItCountingTheSkippedFindingsPerService() throws IOException {
    FleetAudit fleet = fleet();

    FleetService checkout =
        fleet.services().stream().filter(s -> s.service().equals("checkout")).findFirst().get();
    assertThat(checkout.instances()).isEqualTo(2);
    assertThat(checkout.skippedFindings())
        .containsExactly(Map.entry("rule CACHE_STAMPEDE", 2L), Map.entry("severity notice", 1L));
    assertThat(checkout.skippedFindingCount()).isEqualTo(3);
    FleetService cart =
        fleet.services().stream().filter(s -> s.service().equals("cart")).findFirst().get();
    assertThat(cart.skippedFindings()).isEmpty();
    assertThat(fleet.skippedFindings()).isEqualTo(3);
    // The known finding of the newer instance merges with the other instance's.
    assertThat(fleet.findings())
        .filteredOn(finding -> finding.finding().rule() == AuditRule.NO_TTL_WRITES)
        .filteredOn(finding -> finding.service().equals("checkout"))
        .singleElement()
        .satisfies(finding -> assertThat(finding.reportedBy()).isEqualTo(2));
  }

  @Test
  void theJsonCountsThemInAllAndPerServiceByReason() throws IOException {
    Map<String, Object> json = JsonReader.parseObject(FleetJson.toJson(fleet()));

    assertThat(json.get("skippedFindings")).isEqualTo(3L);
    Map<String, Object> cart = object(array(json.get("services")).get(0));
    Map<String, Object> checkout = object(array(json.get("services")).get(1));
    assertThat(checkout.get("service")).isEqualTo("checkout");
    assertThat(checkout.get("skippedFindings")).isEqualTo(3L);
    assertThat(checkout.get("skippedFindingsByReason"))
        .isEqualTo(Map.of("rule CACHE_STAMPEDE", 2L, "severity notice", 1L));
    assertThat(cart.get("skippedFindings")).isEqualTo(0L);
    assertThat(cart.get("skippedFindingsByReason")).isEqualTo(Map.of());
  }

  @Test
  void theHeadlineMarkdownAndHtmlWarnOfThem() throws IOException {
    FleetAudit fleet = fleet();

    assertThat(fleet.headline())
        .isEqualTo("2 services, 3 instances, 3 findings (1 critical, 0 warning, 2 info); " + NOTE);
    assertThat(FleetMarkdown.toMarkdown(fleet))
        .contains("2 services, 3 instances, 3 findings (1 critical, 0 warning, 2 info), from ")
        // Markdown escapes the underscore.
        .contains("**Note:** " + NOTE.replace("_", "\\_") + ".");
    assertThat(FleetHtml.toHtml(fleet)).contains("<strong>Note:</strong> " + NOTE + ".</p>");
  }

  @Test
  void ofTwoCopiesOfOneSnapshotTheOneReadInFullIsKept() throws IOException {
    ServiceAudit newer = AuditJsonReader.parse(fixture());
    // The same process and window, as a version that knew every rule would have read it.
    ServiceAudit full = new ServiceAudit(newer.summary(), newer.connections(), newer.findings());

    for (List<ServiceAudit> audits : List.of(List.of(newer, full), List.of(full, newer))) {
      FleetAudit fleet = FleetAudit.merge(audits);
      assertThat(fleet.instances()).isEqualTo(1);
      assertThat(fleet.audits().get(0).skippedFindings()).isEmpty();
      assertThat(fleet.skippedFindings()).isZero();
    }
  }

  @Test
  void aLaterSnapshotIsKeptEvenWithSkippedFindings() throws IOException {
    ServiceAudit newer = AuditJsonReader.parse(fixture());
    ServiceAudit earlier =
        AuditJsonReader.parse(fixture().replace("2025-01-01T10:05:00Z", "2025-01-01T10:04:00Z"));
    ServiceAudit earlierFull =
        new ServiceAudit(earlier.summary(), earlier.connections(), earlier.findings());

    FleetAudit fleet = FleetAudit.merge(List.of(earlierFull, newer));

    assertThat(fleet.audits()).containsExactly(newer);
    assertThat(fleet.skippedFindings()).isEqualTo(3);
  }

  @Test
  void aFleetWithNothingSkippedHasNoNote() {
    FleetAudit fleet = FleetFixtures.fleet();

    assertThat(fleet.skippedFindings()).isZero();
    assertThat(fleet.skippedNote()).isEmpty();
    assertThat(fleet.headline()).doesNotContain("skipped");
    assertThat(FleetMarkdown.toMarkdown(fleet)).doesNotContain("Note:");
  }
}
