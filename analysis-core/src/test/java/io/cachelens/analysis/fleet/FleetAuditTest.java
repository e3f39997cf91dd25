package io.cachelens.analysis.fleet;

import static io.cachelens.analysis.fleet.FleetFixtures.SITE_A;
import static io.cachelens.analysis.fleet.FleetFixtures.SITE_B;
import static io.cachelens.analysis.fleet.FleetFixtures.SITE_C;
import static io.cachelens.analysis.fleet.FleetFixtures.at;
import static io.cachelens.analysis.fleet.FleetFixtures.evidence;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.analysis.audit.AuditRule;
import io.cachelens.analysis.audit.CallSiteCount;
import io.cachelens.analysis.audit.ConnectionSummary;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.audit.Severity;
import io.cachelens.analysis.summary.CommandSummary;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.analysis.summary.ServiceSummary;
import io.cachelens.analysis.summary.SummaryTotals;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetAuditTest {

  @Test
  void ordersInstancesAndServicesByName() {
    FleetAudit fleet = FleetFixtures.fleet();

    assertThat(fleet.audits())
        .extracting(audit -> audit.summary().host())
        .containsExactly("web-3", "web-1", "web-2");
    assertThat(fleet.services())
        .extracting(FleetService::service)
        .containsExactly("cart", "checkout");
    assertThat(fleet.instances()).isEqualTo(3);
    assertThat(fleet.windowStart()).contains(at("09:58:00"));
    assertThat(fleet.windowEnd()).contains(at("10:10:00"));
  }

  @Test
  void sumsTheCountsOfInstancesOfOneService() {
    FleetService checkout = FleetFixtures.fleet().services().get(1);

    assertThat(checkout.hosts()).containsExactly("web-1", "web-2");
    assertThat(checkout.instances()).isEqualTo(2);
    assertThat(checkout.windowStart()).isEqualTo(at("09:58:00"));
    assertThat(checkout.windowEnd()).isEqualTo(at("10:05:00"));
    assertThat(checkout.totals()).isEqualTo(new SummaryTotals(400, 2, 20, 40, 38));
    // p50s weighted by count: (80 * 100 + 240 * 200) / 320 = 175; p99s the highest.
    assertThat(checkout.commands())
        .containsExactly(
            new CommandSummary("GET", 320, 1, 175, 900),
            new CommandSummary("DEL", 60, 0, 50, 70),
            new CommandSummary("SET", 20, 1, 200, 1000));
    // p50 weighted by reads plus writes: (100 * 100 + 300 * 160) / 400 = 145.
    assertThat(checkout.prefixes())
        .containsExactly(new PrefixSummary("product:cache:*", 320, 80, 40, 30, 10, 8000, 145, 900));
  }

  @Test
  void mergesConnectionsMinuteByMinuteAndCallSitesBySite() {
    ConnectionSummary connections = FleetFixtures.fleet().services().get(1).connections();

    // Lifetime p50 weighted by closed connections: (4 * 8 + 8 * 30) / 38 = 7.16, rounded to 7;
    // commands per connection: (3 * 8 + 1 * 30) / 38 = 1.42, rounded to 1.
    assertThat(connections)
        .isEqualTo(
            new ConnectionSummary(
                40,
                38,
                7,
                40,
                1,
                9,
                at("10:01:00"),
                List.of(4L, 16L, 10L, 10L),
                List.of(
                    new CallSiteCount(SITE_A, 26),
                    new CallSiteCount(SITE_C, 10),
                    new CallSiteCount(SITE_B, 2)),
                38));
  }

  @Test
  void keepsOnlyTheMostRecentMinutesOfOpens() {
    ConnectionSummary old =
        new ConnectionSummary(1, 0, 0, 0, 0, 0, at("00:00:00"), List.of(7L), List.of(), 0);
    ConnectionSummary recent =
        new ConnectionSummary(
            1, 0, 0, 0, 0, 0, at("00:00:00").plusSeconds(60L * 3000), List.of(5L), List.of(), 0);

    ConnectionSummary merged = FleetMerger.mergeConnections(List.of(old, recent), at("00:00:00"));

    assertThat(merged.opensPerMinute()).hasSize(FleetAudit.MAX_OPENS_PER_MINUTE);
    assertThat(merged.opensPerMinute().get(FleetAudit.MAX_OPENS_PER_MINUTE - 1)).isEqualTo(5L);
    assertThat(merged.opensPerMinuteStart())
        .isEqualTo(at("00:00:00").plusSeconds(60L * (3001 - FleetAudit.MAX_OPENS_PER_MINUTE)));
    assertThat(merged.peakOpensPerMinute()).isEqualTo(5);
  }

  @Test
  void mergesFindingsOfOneRuleAndPrefixKeepingTheMostSevere() {
    FleetAudit fleet = FleetFixtures.fleet();

    assertThat(fleet.findings())
        .extracting(finding -> finding.service() + " " + finding.finding().rule())
        .containsExactly("checkout NO_TTL_WRITES", "checkout CONNECTION_CHURN", "cart HOT_KEY");

    FleetFinding noTtl = fleet.findings().get(0);
    assertThat(noTtl.reportedBy()).isEqualTo(2);
    assertThat(noTtl.instances()).isEqualTo(2);
    assertThat(noTtl.hosts()).containsExactly("web-1", "web-2");
    Finding merged = noTtl.finding();
    assertThat(merged.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(merged.prefix()).isEqualTo("product:cache:*");
    assertThat(merged.message()).isEqualTo("30 writes on web-2 left keys without TTL");
    assertThat(merged.recommendation()).isEqualTo("Set an expiry (web-2).");
    // Counts summed, percentiles and shares the maximum, text (the subject) the same in all.
    assertThat(merged.evidence())
        .containsExactly(
            Map.entry("writesWithoutTtl", 40L),
            Map.entry("share", 0.5),
            Map.entry("p99Micros", 900L),
            Map.entry("example", "p:1"));
    assertThat(merged.callSites()).containsExactly(SITE_C, SITE_A);

    FleetFinding churn = fleet.findings().get(1);
    assertThat(churn.reportedBy()).isEqualTo(1);
    assertThat(churn.instances()).isEqualTo(2);
    assertThat(churn.hosts()).containsExactly("web-1");
    assertThat(churn.finding().evidence()).containsEntry("opensPerMinute", 6L);

    assertThat(fleet.findings(Severity.CRITICAL)).isEqualTo(1);
    assertThat(fleet.findings(Severity.WARNING)).isZero();
    assertThat(fleet.findings(Severity.INFO)).isEqualTo(2);
    assertThat(fleet.headline())
        .isEqualTo("2 services, 3 instances, 3 findings (1 critical, 0 warning, 2 info)");
  }

  @Test
  void keepsFindingsAboutDifferentCommandsApart() {
    ServiceAudit web1 = FleetFixtures.checkoutWeb1();
    ServiceAudit twice =
        new ServiceAudit(
            web1.summary(),
            web1.connections(),
            List.of(slow("GET", 80L, 900L), slow("SET", 20L, 1_000L)));
    ServiceAudit web2 = FleetFixtures.checkoutWeb2();
    ServiceAudit once =
        new ServiceAudit(web2.summary(), web2.connections(), List.of(slow("GET", 5L, 700L)));

    FleetAudit fleet = FleetAudit.merge(List.of(twice, once));

    List<FleetFinding> slow =
        fleet.findings().stream()
            .filter(finding -> finding.finding().rule() == AuditRule.SLOW_COMMAND)
            .toList();
    assertThat(slow).hasSize(2);
    FleetFinding get =
        slow.get(0).finding().message().startsWith("GET") ? slow.get(0) : slow.get(1);
    FleetFinding set = get == slow.get(0) ? slow.get(1) : slow.get(0);
    assertThat(get.reportedBy()).isEqualTo(2);
    assertThat(get.finding().evidence())
        .containsExactly(
            Map.entry("command", "GET"), Map.entry("count", 85L), Map.entry("p99Micros", 900L));
    assertThat(set.reportedBy()).isEqualTo(1);
    assertThat(set.finding().evidence())
        .containsExactly(
            Map.entry("command", "SET"), Map.entry("count", 20L), Map.entry("p99Micros", 1_000L));
  }

  @Test
  void countsAnInstanceReportingOneProblemTwiceAsOneReporter() {
    ServiceAudit web1 = FleetFixtures.checkoutWeb1();
    // Two storms of one command on one prefix, started at two call sites.
    ServiceAudit twice =
        new ServiceAudit(
            web1.summary(), web1.connections(), List.of(storm(3L, SITE_A), storm(2L, SITE_C)));

    FleetAudit fleet = FleetAudit.merge(List.of(twice, FleetFixtures.checkoutWeb2()));

    FleetFinding storm =
        fleet.findings().stream()
            .filter(finding -> finding.finding().rule() == AuditRule.ROUND_TRIP_STORM)
            .findFirst()
            .orElseThrow();
    assertThat(storm.reportedBy()).isEqualTo(1);
    assertThat(storm.instances()).isEqualTo(2);
    assertThat(storm.finding().evidence())
        .containsExactly(Map.entry("command", "GET"), Map.entry("bursts", 5L));
    assertThat(storm.finding().callSites()).containsExactly(SITE_A, SITE_C);
  }

  private static Finding slow(String command, long count, long p99Micros) {
    return new Finding(
        AuditRule.SLOW_COMMAND,
        Severity.WARNING,
        "product:cache:*",
        command + " p99 " + p99Micros + " µs",
        evidence("command", command, "count", count, "p99Micros", p99Micros),
        List.of(),
        "r");
  }

  private static Finding storm(long bursts, String site) {
    return new Finding(
        AuditRule.ROUND_TRIP_STORM,
        Severity.WARNING,
        "product:cache:*",
        bursts + " bursts of GET",
        evidence("command", "GET", "bursts", bursts),
        List.of(site),
        "Use MGET.");
  }

  @Test
  void putsPrefixesSideBySideAcrossServices() {
    List<FleetPrefixRow> rows = FleetFixtures.fleet().prefixes();

    assertThat(rows)
        .extracting(FleetPrefixRow::prefix)
        .containsExactly("product:cache:*", "cart:*");
    FleetPrefixRow product = rows.get(0);
    assertThat(product.byService().keySet()).containsExactly("cart", "checkout");
    assertThat(product.byService().get("checkout").writesWithoutTtl()).isEqualTo(40);
    assertThat(product.byService().get("cart").bytesWritten()).isEqualTo(500);
    assertThat(product.writesWithoutTtl()).isEqualTo(45);
    assertThat(product.readsAndWrites()).isEqualTo(410);
    assertThat(product.bytesWritten()).isEqualTo(8500);
    assertThat(rows.get(1).byService()).containsOnlyKeys("cart");
  }

  @Test
  void countsASnapshotOfOneProcessOnce() {
    ServiceAudit latest = FleetFixtures.checkoutWeb1();
    ServiceSummary summary = latest.summary();
    ServiceAudit earlier =
        new ServiceAudit(
            new ServiceSummary(
                summary.service(),
                summary.host(),
                summary.pid(),
                summary.windowStart(),
                at("10:01:00"),
                new SummaryTotals(1, 0, 0, 0, 0),
                List.of(),
                List.of()),
            ConnectionSummary.none(summary.windowStart()),
            List.of());

    FleetAudit fleet = FleetAudit.merge(List.of(earlier, latest, earlier));

    assertThat(fleet.audits()).containsExactly(latest);
    assertThat(fleet.services().get(0).totals().commands()).isEqualTo(100);
  }

  @Test
  void mergesNothingIntoAnEmptyFleet() {
    FleetAudit fleet = FleetAudit.merge(List.of());

    assertThat(fleet.audits()).isEmpty();
    assertThat(fleet.services()).isEmpty();
    assertThat(fleet.prefixes()).isEmpty();
    assertThat(fleet.findings()).isEmpty();
    assertThat(fleet.windowStart()).isEmpty();
    assertThat(fleet.headline())
        .isEqualTo("0 services, 0 instances, 0 findings (0 critical, 0 warning, 0 info)");
  }

  @Test
  void tellsPeaksFromCountsByTheWordsOfTheKey() {
    assertThat(FleetMerger.isPeak("p99Micros")).isTrue();
    assertThat(FleetMerger.isPeak("lifetimeP50Millis")).isTrue();
    assertThat(FleetMerger.isPeak("opensPerMinute")).isTrue();
    assertThat(FleetMerger.isPeak("maxValueBytes")).isTrue();
    assertThat(FleetMerger.isPeak("threshold_bytes")).isTrue();
    assertThat(FleetMerger.isPeak("writesWithoutTtl")).isFalse();
    assertThat(FleetMerger.isPeak("commands")).isFalse();
    assertThat(FleetMerger.isPeak("bursts")).isFalse();
    assertThat(FleetMerger.isPeak("operations")).isFalse();
  }

  @Test
  void combinesEvidenceOfMixedTypes() {
    Finding first =
        new Finding(
            AuditRule.BIG_VALUE,
            Severity.WARNING,
            "p:*",
            "m",
            evidence("count", 3L, "share", Double.NaN, "size", "big", "ratio", 2L),
            List.of(),
            "r");
    Finding second =
        new Finding(
            AuditRule.BIG_VALUE,
            Severity.INFO,
            "p:*",
            "m",
            evidence("count", 4L, "share", 0.25, "size", 9L, "ratio", 2.5, "extra", 1L),
            List.of(),
            "r");

    assertThat(FleetMerger.mergeEvidence(List.of(first, second)))
        .containsExactly(
            Map.entry("count", 7L),
            Map.entry("share", 0.25),
            Map.entry("size", "big"),
            Map.entry("ratio", 2.5),
            Map.entry("extra", 1L));
  }
}
