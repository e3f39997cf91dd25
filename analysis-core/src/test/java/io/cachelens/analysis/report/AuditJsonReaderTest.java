package io.cachelens.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachelens.analysis.audit.AuditRule;
import io.cachelens.analysis.audit.CallSiteCount;
import io.cachelens.analysis.audit.ConnectionSummary;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.audit.Severity;
import io.cachelens.analysis.json.JsonReader;
import io.cachelens.analysis.summary.CommandSummary;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.analysis.summary.ServiceSummary;
import io.cachelens.analysis.summary.SummaryJson;
import io.cachelens.analysis.summary.SummaryTotals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AuditJsonReaderTest {

  private static final Instant START = Instant.parse("2025-01-01T10:00:00Z");

  static ServiceAudit richAudit() {
    ServiceSummary summary =
        new ServiceSummary(
            "checkout \"eu\" \u00e9\u2028",
            "web-1",
            4242,
            START,
            Instant.parse("2025-01-01T10:05:00.250Z"),
            new SummaryTotals(1200, 3, 12, 8, 2),
            List.of(
                new CommandSummary("GET", 1000, 1, 180, 950),
                new CommandSummary("SET", 200, 2, 210, 1100)),
            List.of(
                new PrefixSummary("product:cache:*", 1000, 200, 50, 140, 10, 51200, 190, 990),
                new PrefixSummary("session:{id}", 7, 3, 0, 3, 0, 96, 120, 400)));
    ConnectionSummary connections =
        new ConnectionSummary(
            1200,
            1198,
            3,
            12,
            2,
            5,
            START.plusSeconds(60),
            List.of(600L, 0L, 598L),
            List.of(
                new CallSiteCount("com.acme.RateLimiter.check(RateLimiter.java:42)", 1100),
                new CallSiteCount(CallSiteCount.OTHER, 100)),
            1200);
    Map<String, Object> churnEvidence = new LinkedHashMap<>();
    churnEvidence.put("opensPerMinute", 600L);
    churnEvidence.put("share", 0.98);
    churnEvidence.put("pool", "none");
    churnEvidence.put("unknown", Double.NaN);
    List<Finding> findings =
        List.of(
            new Finding(
                AuditRule.CONNECTION_CHURN,
                Severity.CRITICAL,
                null,
                "600 connections opened per minute",
                churnEvidence,
                List.of("com.acme.RateLimiter.check(RateLimiter.java:42)"),
                "Share one pooled client."),
            new Finding(
                AuditRule.NO_TTL_WRITES,
                Severity.WARNING,
                "product:cache:*",
                "50 writes left keys without TTL <b>",
                Map.of("writesWithoutTtl", 50L),
                List.of(),
                "Set an expiry with SET EX."));
    return new ServiceAudit(summary, connections, findings);
  }

  private static Map<String, Object> richDocument() {
    return JsonReader.parseObject(AuditJson.toJson(richAudit()));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> member(Map<String, Object> object, String name) {
    return (Map<String, Object>) object.get(name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> element(Map<String, Object> object, String name, int index) {
    return (Map<String, Object>) ((List<Object>) object.get(name)).get(index);
  }

  private static void assertRejected(Consumer<Map<String, Object>> change, String message) {
    Map<String, Object> document = richDocument();
    change.accept(document);
    assertThatThrownBy(() -> AuditJsonReader.read(document))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void readsBackWhatAuditJsonWrites() {
    ServiceAudit audit = richAudit();

    ServiceAudit read = AuditJsonReader.parse(AuditJson.toJson(audit));

    assertThat(read).isEqualTo(audit);
    assertThat(read.findings().get(0).evidence().keySet())
        .containsExactly("opensPerMinute", "share", "pool", "unknown");
  }

  @Test
  void readsTheSummaryDocumentAsAnAuditWithoutConnectionsOrFindings() {
    ServiceSummary summary = richAudit().summary();

    ServiceAudit read = AuditJsonReader.parse(SummaryJson.toJson(summary));

    assertThat(read.summary()).isEqualTo(summary);
    assertThat(read.connections()).isEqualTo(ConnectionSummary.none(START));
    assertThat(read.findings()).isEmpty();
  }

  @Test
  void readsTheOlderSummaryWhosePrefixesLackTheAuditsCounters() {
    String json =
        """
        {"schema": "cachelens.summary/v1", "service": "cart", "host": "h", "pid": 7,
         "window": {"start": "2025-01-01T10:00:00Z", "end": "2025-01-01T10:01:00Z"},
         "totals": {"commands": 5, "errors": 0, "internalCommands": 1,
                    "connectionsOpened": 1, "connectionsClosed": 0},
         "commands": [{"name": "SET", "count": 5, "errors": 0, "p50Micros": 9, "p99Micros": 30}],
         "prefixes": [{"prefix": "cart:*", "reads": 0, "writes": 5, "writesWithTtl": 1,
                       "writesWithoutTtl": 4, "p50Micros": 9, "p99Micros": 30}]}
        """;

    ServiceAudit read = AuditJsonReader.parse(json);

    assertThat(read.summary().prefixes())
        .containsExactly(new PrefixSummary("cart:*", 0, 5, 4, 1, 0, 0, 9, 30));
    assertThat(read.connections()).isEqualTo(ConnectionSummary.none(START));
  }

  @Test
  void ignoresMembersItDoesNotKnow() {
    Map<String, Object> document = richDocument();
    document.put("futureTopLevel", List.of(1L, 2L));
    element(document, "findings", 0).put("confidence", 0.9);
    member(document, "connections").put("reused", Map.of("a", "b"));

    assertThat(AuditJsonReader.read(document)).isEqualTo(richAudit());
  }

  @Test
  void rejectsAMissingOrForeignSchema() {
    assertRejected(document -> document.remove("schema"), "schema: missing");
    assertRejected(
        document -> document.put("schema", "cachelens.fleet/v1"),
        "schema: expected \"cachelens.audit/v1\" or \"cachelens.summary/v1\","
            + " found \"cachelens.fleet/v1\"");
    assertRejected(document -> document.put("schema", 1L), "schema: expected a string, found 1");
  }

  @Test
  void rejectsMissingMembersNamingTheirPath() {
    assertThatThrownBy(() -> AuditJsonReader.parse("{\"schema\": \"cachelens.audit/v1\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service: missing");
    assertRejected(document -> document.remove("service"), "service: missing");
    assertRejected(document -> member(document, "window").remove("end"), "window.end: missing");
    assertRejected(
        document -> element(document, "findings", 1).remove("severity"),
        "findings[1].severity: missing");
    assertRejected(
        document -> element(document, "prefixes", 1).remove("bytesWritten"),
        "prefixes[1].bytesWritten: missing");
    assertRejected(document -> document.remove("connections"), "connections: missing");
    assertRejected(document -> document.remove("findings"), "findings: missing");
    assertRejected(
        document -> element(document, "findings", 0).remove("prefix"),
        "findings[0].prefix: missing");
  }

  @Test
  void rejectsValuesOfTheWrongTypeNamingTheirPath() {
    assertRejected(
        document -> document.put("pid", "4242"), "pid: expected an integer, found \"4242\"");
    assertRejected(
        document -> member(document, "totals").put("errors", 1.5),
        "totals.errors: expected an integer, found 1.5");
    assertRejected(
        document -> member(document, "totals").put("commands", -1L),
        "totals.commands: expected a non-negative integer, found -1");
    assertRejected(
        document -> document.put("commands", Map.of()),
        "commands: expected an array, found an object");
    assertRejected(
        document -> document.put("commands", List.of("GET")),
        "commands[0]: expected an object, found \"GET\"");
    assertRejected(
        document -> member(document, "window").put("start", "yesterday"),
        "window.start: expected an ISO-8601 instant, found \"yesterday\"");
    assertRejected(
        document -> member(document, "connections").put("opensPerMinute", List.of(1L, true)),
        "connections.opensPerMinute[1]: expected an integer, found true");
    assertRejected(
        document -> element(document, "findings", 0).put("prefix", 3L),
        "findings[0].prefix: expected a string or null, found 3");
    assertRejected(
        document -> element(document, "findings", 1).put("callSites", List.of(42L)),
        "findings[1].callSites[0]: expected a string, found 42");
    assertRejected(
        document -> member(element(document, "findings", 0), "evidence").put("x", List.of()),
        "findings[0].evidence.x: expected a number, a string or null, found an array");
    assertRejected(
        document -> {
          List<Object> sites = new ArrayList<>();
          sites.add(Map.of("site", "a"));
          member(document, "connections").put("callSites", sites);
        },
        "connections.callSites[0].count: missing");
  }

  @Test
  void skipsFindingsOfUnknownRulesAndSeveritiesCountingThem() {
    Map<String, Object> document = richDocument();
    // A newer agent's rule, with members this version would reject in a finding it knows.
    element(document, "findings", 0).put("rule", "NEW_RULE");
    element(document, "findings", 0).put("evidence", Map.of("nested", Map.of("a", 1L)));
    element(document, "findings", 1).put("severity", "urgent");

    ServiceAudit audit = AuditJsonReader.read(document);

    assertThat(audit.findings()).isEmpty();
    assertThat(audit.skippedFindings())
        .containsExactly(Map.entry("rule NEW_RULE", 1L), Map.entry("severity urgent", 1L));
    assertThat(audit.skippedFindingCount()).isEqualTo(2);
    assertThat(audit.summary()).isEqualTo(richAudit().summary());
    assertThat(audit.connections()).isEqualTo(richAudit().connections());
  }

  @Test
  void aSeverityIsMatchedByItsLabelOnly() {
    Map<String, Object> document = richDocument();
    element(document, "findings", 0).put("severity", "CRITICAL");

    ServiceAudit audit = AuditJsonReader.read(document);

    assertThat(audit.findings()).extracting(Finding::rule).containsExactly(AuditRule.NO_TTL_WRITES);
    assertThat(audit.skippedFindings()).containsExactly(Map.entry("severity CRITICAL", 1L));
  }

  @Test
  void skipReasonsAreBoundedAndClipped() {
    Map<String, Object> document = richDocument();
    List<Object> findings = new ArrayList<>();
    for (int i = 0; i < AuditJsonReader.MAX_SKIP_REASONS + 4; i++) {
      findings.add(new LinkedHashMap<>(Map.of("rule", "RULE_" + (char) ('A' + i))));
    }
    findings.add(new LinkedHashMap<>(Map.of("rule", "RULE_A")));
    findings.add(new LinkedHashMap<>(Map.of("rule", "X".repeat(1_000))));
    document.put("findings", findings);

    Map<String, Long> skipped = AuditJsonReader.read(document).skippedFindings();

    assertThat(skipped).hasSize(AuditJsonReader.MAX_SKIP_REASONS + 1);
    assertThat(skipped).containsEntry("rule RULE_A", 2L).containsEntry("other", 5L);
    assertThat(skipped.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(22);

    document.put("findings", List.of(new LinkedHashMap<>(Map.of("rule", "X".repeat(1_000)))));
    assertThat(AuditJsonReader.read(document).skippedFindings())
        .containsExactly(Map.entry("rule " + "X".repeat(60) + "...", 1L));
  }

  @Test
  void aRuleOrSeverityThatIsNotAStringIsStillMalformed() {
    assertRejected(
        document -> element(document, "findings", 0).put("rule", 3L),
        "findings[0].rule: expected a string, found 3");
    assertRejected(
        document -> element(document, "findings", 1).put("severity", List.of()),
        "findings[1].severity: expected a string, found an array");
    assertRejected(
        document -> element(document, "findings", 0).remove("rule"), "findings[0].rule: missing");
  }

  @Test
  void rejectsMalformedJsonAndOtherTopLevelValues() {
    assertThatThrownBy(() -> AuditJsonReader.parse("{\"schema\": \"cachelens.audit/v1\",}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("malformed JSON at offset");
    assertThatThrownBy(() -> AuditJsonReader.parse("[]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected an object as the top-level value");
  }

  @Test
  void recognisesTheSchemasItReads() {
    assertThat(AuditJsonReader.readsSchema("cachelens.audit/v1")).isTrue();
    assertThat(AuditJsonReader.readsSchema("cachelens.summary/v1")).isTrue();
    assertThat(AuditJsonReader.readsSchema("cachelens.fleet/v1")).isFalse();
    assertThat(AuditJsonReader.readsSchema(null)).isFalse();
  }
}
