package io.cachelens.analysis.report;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Audits for the report tests, built from the model's constructors. */
final class SampleAudits {

  static final Instant START = Instant.parse("2025-01-01T10:00:00Z");
  static final Instant END = Instant.parse("2025-01-01T11:00:00Z");

  /** A key prefix that would be markup, a table break and a code span if not escaped. */
  static final String HOSTILE_PREFIX = "<script>alert(1)</script>|`x`\n\"><b id=\"pwned\">*";

  static final String RATE_LIMITER_SITE = "com.acme.RateLimiter.check(RateLimiter.java:42)";
  static final String CATALOG_SITE = "com.acme.catalog.ProductCache.put(ProductCache.java:88)";
  static final String SEARCH_SITE = "com.acme.search.Reindexer.run(Reindexer.java:17)";

  private SampleAudits() {}

  static Finding churn() {
    return new Finding(
        AuditRule.CONNECTION_CHURN,
        Severity.CRITICAL,
        null,
        "Opened 600 connections per minute, each closed after 2 commands.",
        evidence("opensPerMinute", 600L, "commandsPerConnectionP50", 2L, "lifetimeP50Millis", 3L),
        List.of(RATE_LIMITER_SITE),
        "Share one pooled client (JedisPool, or one Lettuce connection) instead of connecting"
            + " per request.");
  }

  static Finding noTtl() {
    return new Finding(
        AuditRule.NO_TTL_WRITES,
        Severity.WARNING,
        "product:cache:*",
        "5,000 writes left product:cache:* keys without an expiry (100% of its writes).",
        evidence("writesWithoutTtl", 5000L, "shareWithoutTtl", 1.0, "exampleCommand", "SET"),
        List.of(CATALOG_SITE),
        "Give each write an expiry (SET key value EX 3600), or EXPIRE it in the same pipeline.");
  }

  static Finding keys() {
    return new Finding(
        AuditRule.DANGEROUS_COMMAND,
        Severity.CRITICAL,
        null,
        "KEYS ran 12 times and scanned the whole keyspace each time (p99 48,000 µs).",
        evidence("command", "KEYS", "count", 12L, "p99Micros", 48_000L),
        List.of(SEARCH_SITE),
        "Iterate with SCAN MATCH product:* COUNT 1000, or keep an index set of the keys.");
  }

  /** A finding whose every text field is hostile. */
  static Finding hostile() {
    return new Finding(
        AuditRule.HOT_KEY,
        Severity.INFO,
        HOSTILE_PREFIX,
        "Key <img src=x> & \"friends\" | took 41.5% of commands",
        evidence("share", 0.415, "key", "<i>hot</i>"),
        List.of("<b>evil</b>.run(Evil.java:1)"),
        "Cache <em>locally</em> & spread | the load.");
  }

  /** An audit with four findings (two critical), four prefixes and an hour of connections. */
  static ServiceAudit full() {
    return audit(List.of(keys(), noTtl(), hostile(), churn()));
  }

  static ServiceAudit audit(List<Finding> findings) {
    ServiceSummary summary =
        new ServiceSummary(
            "checkout",
            "web-1",
            4242,
            START,
            END,
            new SummaryTotals(1_234_567, 321, 64, 36_000, 35_990),
            List.of(
                new CommandSummary("GET", 1_000_000, 12, 180, 950),
                new CommandSummary("SET", 234_000, 309, 210, 1_100),
                new CommandSummary("KEYS", 12, 0, 21_000, 48_000)),
            List.of(
                new PrefixSummary("product:cache:*", 900_000, 5_000, 5_000, 0, 0, 51_200, 170, 900),
                new PrefixSummary(
                    "session:*", 100_000, 200_000, 0, 199_000, 1_000, 3 << 20, 190, 980),
                new PrefixSummary("rate:*", 0, 29_000, 0, 29_000, 0, 812, 150, 700),
                new PrefixSummary(HOSTILE_PREFIX, 555, 0, 0, 0, 0, 0, 160, 800)));
    List<Long> opens = new ArrayList<>();
    for (int minute = 0; minute < 60; minute++) {
      opens.add(minute % 10 == 9 ? 0L : 550L + minute);
    }
    ConnectionSummary connections =
        new ConnectionSummary(
            36_000,
            35_990,
            3,
            12,
            2,
            2,
            START,
            opens,
            List.of(
                new CallSiteCount(RATE_LIMITER_SITE, 35_000),
                new CallSiteCount(CallSiteCount.OTHER, 400)),
            35_400);
    return new ServiceAudit(summary, connections, findings);
  }

  /** An audit of a service that did nothing. */
  static ServiceAudit empty() {
    ServiceSummary summary =
        new ServiceSummary(
            "idle", "web-2", 1, START, END, new SummaryTotals(0, 0, 0, 0, 0), List.of(), List.of());
    return new ServiceAudit(summary, ConnectionSummary.none(START), List.of());
  }

  /** A service with {@code count} prefixes, {@code prefix-0:*} busiest. */
  static ServiceAudit withPrefixes(int count) {
    List<PrefixSummary> prefixes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long commands = 10_000L - i;
      prefixes.add(new PrefixSummary("prefix-" + i + ":*", commands, 0, 0, 0, 0, 0, 100, 200));
    }
    ServiceSummary summary =
        new ServiceSummary(
            "many",
            "web-3",
            7,
            START,
            END,
            new SummaryTotals(1, 0, 0, 0, 0),
            List.of(new CommandSummary("GET", 1, 0, 100, 200)),
            prefixes);
    return new ServiceAudit(summary, ConnectionSummary.none(START), List.of());
  }

  private static Map<String, Object> evidence(Object... namesAndValues) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      evidence.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return evidence;
  }
}
