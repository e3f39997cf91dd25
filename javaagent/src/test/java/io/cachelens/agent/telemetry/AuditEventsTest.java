package io.cachelens.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.analysis.audit.AuditRule;
import io.cachelens.analysis.audit.ConnectionSummary;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.audit.Severity;
import io.cachelens.analysis.summary.ServiceSummary;
import io.cachelens.analysis.summary.SummaryTotals;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuditEventsTest {
  private static final Instant START = Instant.parse("2026-11-23T11:02:10Z");
  private static final String SITE = "com.acme.RateLimiter.check(RateLimiter.java:42)";

  private final List<LogRecordData> records = new CopyOnWriteArrayList<>();
  private final SdkLoggerProvider provider =
      SdkLoggerProvider.builder()
          .addLogRecordProcessor(
              new LogRecordProcessor() {
                @Override
                public void onEmit(Context context, ReadWriteLogRecord record) {
                  records.add(record.toLogRecordData());
                }
              })
          .build();
  private final AuditEvents events = new AuditEvents(provider.get("io.cachelens"));

  @AfterEach
  void shutDown() {
    provider.shutdown().join(1, TimeUnit.SECONDS);
  }

  @Test
  void aFindingBecomesOneEventWithItsFieldsAsAttributes() {
    Finding churn =
        new Finding(
            AuditRule.CONNECTION_CHURN,
            Severity.CRITICAL,
            null,
            "Opens 9350.6 connections per minute that live 1 ms and carry 2 commands (medians).",
            evidence("opened", 300L, "opensPerMinute", 9350.6),
            List.of(SITE, "com.acme.Other.run(Other.java:7)"),
            "Create the client once and share it.");
    Finding noTtl = noTtl("product:cache:*", Severity.WARNING, 30);

    assertThat(events.publish(audit(10, churn, noTtl))).isEqualTo(2);

    assertThat(records).hasSize(2);
    LogRecordData event = records.get(0);
    assertThat(event.getEventName()).isEqualTo("cachelens.audit.finding");
    assertThat(event.getSeverity()).isEqualTo(io.opentelemetry.api.logs.Severity.ERROR);
    assertThat(event.getSeverityText()).isEqualTo("ERROR");
    assertThat(event.getBodyValue().asString()).isEqualTo(churn.message());
    assertThat(event.getTimestampEpochNanos())
        .isEqualTo(TimeUnit.SECONDS.toNanos(START.plusSeconds(10).getEpochSecond()));
    assertThat(event.getAttributes().asMap())
        .containsOnly(
            Map.entry(AuditEvents.RULE, "CONNECTION_CHURN"),
            Map.entry(AuditEvents.SEVERITY, "critical"),
            Map.entry(AuditEvents.RECOMMENDATION, "Create the client once and share it."),
            Map.entry(AttributeKey.longKey("cachelens.audit.evidence.opened"), 300L),
            Map.entry(AttributeKey.doubleKey("cachelens.audit.evidence.opensPerMinute"), 9350.6),
            Map.entry(AuditEvents.CALL_SITES, List.of(SITE, "com.acme.Other.run(Other.java:7)")));

    LogRecordData warning = records.get(1);
    assertThat(warning.getSeverity()).isEqualTo(io.opentelemetry.api.logs.Severity.WARN);
    assertThat(warning.getSeverityText()).isEqualTo("WARN");
    assertThat(warning.getAttributes().get(AuditEvents.KEY_PREFIX)).isEqualTo("product:cache:*");
    assertThat(warning.getAttributes().get(AuditEvents.SEVERITY)).isEqualTo("warning");
    assertThat(warning.getAttributes().get(AttributeKey.longKey("cachelens.audit.evidence.writes")))
        .isEqualTo(30L);
    assertThat(warning.getAttributes().get(AuditEvents.CALL_SITES))
        .as("no call sites, no attribute")
        .isNull();
  }

  @Test
  void anUnchangedFindingIsEmittedOnceHoweverItsNumbersMove() {
    events.publish(audit(1, noTtl("product:cache:*", Severity.WARNING, 30)));
    assertThat(events.publish(audit(2, noTtl("product:cache:*", Severity.WARNING, 30)))).isZero();
    assertThat(events.publish(audit(3, noTtl("product:cache:*", Severity.WARNING, 90)))).isZero();

    assertThat(records).hasSize(1);
  }

  @Test
  void aRisingSeverityIsEmittedAgainAFallingOneIsNot() {
    events.publish(audit(1, noTtl("product:cache:*", Severity.WARNING, 30)));
    events.publish(audit(2, noTtl("product:cache:*", Severity.CRITICAL, 1_000)));
    events.publish(audit(3, noTtl("product:cache:*", Severity.WARNING, 1_000)));
    events.publish(audit(4, noTtl("product:cache:*", Severity.CRITICAL, 1_000)));

    assertThat(records).hasSize(2);
    assertThat(records.get(1).getSeverity()).isEqualTo(io.opentelemetry.api.logs.Severity.ERROR);
    assertThat(records.get(1).getAttributes().get(AuditEvents.PREVIOUS_SEVERITY))
        .isEqualTo("warning");
    assertThat(records.get(0).getAttributes().get(AuditEvents.PREVIOUS_SEVERITY)).isNull();
  }

  @Test
  void aNewPrefixOrANewlyFoundProblemIsANewFinding() {
    events.publish(audit(1, noTtl("product:cache:*", Severity.WARNING, 30)));
    events.publish(
        audit(
            2,
            noTtl("product:cache:*", Severity.WARNING, 40),
            noTtl("catalog:item:*", Severity.WARNING, 15)));

    assertThat(records)
        .extracting(record -> record.getAttributes().get(AuditEvents.KEY_PREFIX))
        .containsExactly("product:cache:*", "catalog:item:*");
  }

  @Test
  void findingsOfOneRuleAreToldApartByWhatTheyAreAbout() {
    Finding keys = dangerous("KEYS", "dangerous", 1L, Severity.CRITICAL);
    Finding keysAgain = dangerous("KEYS", "dangerous", 7L, Severity.CRITICAL);
    Finding flush = dangerous("FLUSHDB", "dangerous", 1L, Severity.CRITICAL);
    Finding largeKeys = dangerous("KEYS", "large_reply", 2L, Severity.WARNING);
    assertThat(AuditEvents.identity(keys)).isEqualTo(AuditEvents.identity(keysAgain));
    assertThat(AuditEvents.identity(keys))
        .isNotEqualTo(AuditEvents.identity(flush))
        .isNotEqualTo(AuditEvents.identity(largeKeys));

    assertThat(AuditEvents.identity(storm("GET", SITE, 3L)))
        .isEqualTo(AuditEvents.identity(storm("GET", SITE, 9L)))
        .isNotEqualTo(AuditEvents.identity(storm("HGET", SITE, 3L)))
        .isNotEqualTo(AuditEvents.identity(storm("GET", "com.acme.B.c(B.java:1)", 3L)));

    assertThat(AuditEvents.identity(hotKey("config:flags #0a1b2c3d")))
        .isNotEqualTo(AuditEvents.identity(hotKey("config:flags #ffffffff")));

    // A churn that turns into a leak is another finding: other message, other recommendation.
    assertThat(AuditEvents.identity(connections("churn", 50L)))
        .isEqualTo(AuditEvents.identity(connections("churn", 70L)))
        .isNotEqualTo(AuditEvents.identity(connections("leak", 50L)));
  }

  private static ServiceAudit audit(int seconds, Finding... findings) {
    ServiceSummary summary =
        new ServiceSummary(
            "checkout",
            "web-7",
            42,
            START,
            START.plusSeconds(seconds),
            new SummaryTotals(0, 0, 0, 0, 0),
            List.of(),
            List.of());
    return new ServiceAudit(summary, ConnectionSummary.none(START), Arrays.asList(findings));
  }

  private static Finding noTtl(String prefix, Severity severity, long writes) {
    return new Finding(
        AuditRule.NO_TTL_WRITES,
        severity,
        prefix,
        writes + " writes to " + prefix + " left their key without a TTL.",
        evidence("writes", writes, "writesWithoutTtl", writes),
        List.of(),
        "Give every write to " + prefix + " an expiry.");
  }

  private static Finding dangerous(String command, String reason, long count, Severity severity) {
    return new Finding(
        AuditRule.DANGEROUS_COMMAND,
        severity,
        null,
        command + " sent " + count + " times: it can block the server.",
        evidence("command", command, "reason", reason, "count", count),
        List.of(SITE),
        "Replace KEYS with SCAN.");
  }

  private static Finding storm(String command, String site, long bursts) {
    return new Finding(
        AuditRule.ROUND_TRIP_STORM,
        Severity.WARNING,
        "product:cache:*",
        bursts + " bursts of sequential " + command + " commands.",
        evidence("command", command, "bursts", bursts),
        List.of(site),
        "Batch the loop.");
  }

  private static Finding connections(String pattern, long opened) {
    return new Finding(
        AuditRule.CONNECTION_CHURN,
        Severity.WARNING,
        null,
        "Opens " + opened + " connections per minute.",
        evidence("pattern", pattern, "opened", opened),
        List.of(SITE),
        "Create the client once and share it.");
  }

  private static Finding hotKey(String key) {
    return new Finding(
        AuditRule.HOT_KEY,
        Severity.WARNING,
        "config:flags",
        "Key " + key + " takes 40% of the service's commands.",
        evidence("key", key, "percentOfCommands", 40.0),
        List.of(),
        "Cache the hot key in the service.");
  }

  private static Map<String, Object> evidence(Object... namesAndValues) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      evidence.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return evidence;
  }
}
