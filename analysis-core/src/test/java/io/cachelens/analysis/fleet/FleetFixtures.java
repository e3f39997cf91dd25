package io.cachelens.analysis.fleet;

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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Two instances of checkout and one of cart, with figures whose merge is easy to work out. */
final class FleetFixtures {

  static final String SITE_A = "com.acme.Cache.put(Cache.java:10)";
  static final String SITE_B = "com.acme.Cache.get(Cache.java:20)";
  static final String SITE_C = "com.acme.Jobs.run(Jobs.java:30)";

  private FleetFixtures() {}

  static Instant at(String time) {
    return Instant.parse("2025-01-01T" + time + "Z");
  }

  static Map<String, Object> evidence(Object... keysAndValues) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      evidence.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return evidence;
  }

  static ServiceAudit checkoutWeb1() {
    ServiceSummary summary =
        new ServiceSummary(
            "checkout",
            "web-1",
            1,
            at("10:00:00"),
            at("10:05:00"),
            new SummaryTotals(100, 2, 5, 10, 8),
            List.of(
                new CommandSummary("GET", 80, 1, 100, 900),
                new CommandSummary("SET", 20, 1, 200, 1000)),
            List.of(new PrefixSummary("product:cache:*", 80, 20, 10, 10, 0, 2000, 100, 900)));
    ConnectionSummary connections =
        new ConnectionSummary(
            10,
            8,
            4,
            40,
            3,
            9,
            at("10:01:00"),
            List.of(4L, 6L),
            List.of(new CallSiteCount(SITE_A, 6), new CallSiteCount(SITE_B, 2)),
            8);
    return new ServiceAudit(
        summary,
        connections,
        List.of(
            new Finding(
                AuditRule.NO_TTL_WRITES,
                Severity.WARNING,
                "product:cache:*",
                "10 writes on web-1 left keys without TTL",
                evidence(
                    "writesWithoutTtl", 10L, "share", 0.5, "p99Micros", 900L, "example", "p:1"),
                List.of(SITE_A),
                "Set an expiry (web-1)."),
            new Finding(
                AuditRule.CONNECTION_CHURN,
                Severity.INFO,
                null,
                "6 connections opened in a minute",
                evidence("opensPerMinute", 6L),
                List.of(SITE_A),
                "Share the client.")));
  }

  static ServiceAudit checkoutWeb2() {
    ServiceSummary summary =
        new ServiceSummary(
            "checkout",
            "web-2",
            2,
            at("09:58:00"),
            at("10:04:00"),
            new SummaryTotals(300, 0, 15, 30, 30),
            List.of(
                new CommandSummary("GET", 240, 0, 200, 500),
                new CommandSummary("DEL", 60, 0, 50, 70)),
            List.of(new PrefixSummary("product:cache:*", 240, 60, 30, 20, 10, 6000, 160, 800)));
    ConnectionSummary connections =
        new ConnectionSummary(
            30,
            30,
            8,
            20,
            1,
            5,
            at("10:02:00"),
            List.of(10L, 10L, 10L),
            List.of(new CallSiteCount(SITE_A, 20), new CallSiteCount(SITE_C, 10)),
            30);
    return new ServiceAudit(
        summary,
        connections,
        List.of(
            new Finding(
                AuditRule.NO_TTL_WRITES,
                Severity.CRITICAL,
                "product:cache:*",
                "30 writes on web-2 left keys without TTL",
                evidence(
                    "writesWithoutTtl", 30L, "share", 0.4, "p99Micros", 800L, "example", "p:1"),
                List.of(SITE_C, SITE_A),
                "Set an expiry (web-2).")));
  }

  static ServiceAudit cartWeb3() {
    ServiceSummary summary =
        new ServiceSummary(
            "cart",
            "web-3",
            3,
            at("10:00:00"),
            at("10:10:00"),
            new SummaryTotals(50, 0, 0, 1, 0),
            List.of(new CommandSummary("HGET", 50, 0, 30, 60)),
            List.of(
                new PrefixSummary("cart:*", 35, 0, 0, 0, 0, 0, 30, 60),
                new PrefixSummary("product:cache:*", 5, 5, 5, 0, 0, 500, 30, 60)));
    return new ServiceAudit(
        summary,
        ConnectionSummary.none(at("10:00:00")),
        List.of(
            new Finding(
                AuditRule.HOT_KEY,
                Severity.INFO,
                "cart:*",
                "cart:42 takes 40% of the commands",
                evidence("key", "cart:42", "share", 0.4),
                List.of(),
                "Cache it locally.")));
  }

  static FleetAudit fleet() {
    return FleetAudit.merge(List.of(cartWeb3(), checkoutWeb2(), checkoutWeb1()));
  }
}
