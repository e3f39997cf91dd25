package io.cachelens.analysis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.cachelens.analysis.audit.AuditObservations.BigValues;
import io.cachelens.analysis.audit.AuditObservations.CommandLatency;
import io.cachelens.analysis.audit.AuditObservations.DangerousUse;
import io.cachelens.analysis.audit.AuditObservations.HotKeyShare;
import io.cachelens.analysis.audit.AuditObservations.Storm;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.analysis.summary.ServiceSummary;
import io.cachelens.analysis.summary.SummaryTotals;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditRulesTest {
  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  private static final String SESSION = "session:*";
  private static final String PRODUCT = "product:cache:*";
  private static final List<String> SEVEN_SITES =
      List.of(
          "com.acme.A.a(A.java:1)",
          "com.acme.B.b(B.java:2)",
          "com.acme.C.c(C.java:3)",
          "com.acme.D.d(D.java:4)",
          "com.acme.E.e(E.java:5)",
          "com.acme.F.f(F.java:6)",
          "com.acme.G.g(G.java:7)");

  /** Observations of a quiet ten-minute window; each test adds what its rule looks at. */
  private static final class Observed {
    Duration window = Duration.ofMinutes(10);
    final List<PrefixSummary> prefixes = new ArrayList<>();
    ConnectionSummary connections = ConnectionSummary.none(START);
    final List<CommandLatency> latencies = new ArrayList<>();
    final List<DangerousUse> dangerous = new ArrayList<>();
    final List<BigValues> bigValues = new ArrayList<>();
    final List<HotKeyShare> hotKeys = new ArrayList<>();
    long hotKeySampled;
    long commands = 10_000;
    final List<Storm> storms = new ArrayList<>();
    final Map<String, List<String>> noTtlWriteSites = new HashMap<>();

    Observed prefix(String prefix, long without, long with, long later) {
      prefixes.add(
          new PrefixSummary(
              prefix, 500, without + with + later + 5, without, with, later, 4_096, 150, 900));
      return this;
    }

    Observed connections(
        long opened, long closed, long lifetimeP50Millis, long commandsP50, List<String> sites) {
      List<CallSiteCount> counts = new ArrayList<>();
      for (int i = 0; i < sites.size(); i++) {
        counts.add(new CallSiteCount(sites.get(i), 100 - i));
      }
      connections =
          new ConnectionSummary(
              opened,
              closed,
              lifetimeP50Millis,
              lifetimeP50Millis * 4,
              commandsP50,
              commandsP50 * 3,
              START,
              List.of(opened / 4, opened / 2, opened / 4),
              counts,
              sites.size() * 10L);
      return this;
    }

    AuditObservations build() {
      ServiceSummary summary =
          new ServiceSummary(
              "checkout",
              "host-1",
              4242,
              START,
              START.plus(window),
              new SummaryTotals(commands, 3, 20, connections.opened(), connections.closed()),
              List.of(),
              prefixes);
      return new AuditObservations(
          summary,
          connections,
          latencies,
          dangerous,
          bigValues,
          hotKeys,
          hotKeySampled,
          storms,
          noTtlWriteSites);
    }
  }

  private static List<Finding> findings(Observed observed) {
    return findings(AuditThresholds.defaults(), observed);
  }

  private static List<Finding> findings(AuditThresholds thresholds, Observed observed) {
    return new AuditRules(thresholds).audit(observed.build()).findings();
  }

  private static Finding only(Observed observed) {
    List<Finding> findings = findings(observed);
    assertThat(findings).hasSize(1);
    return findings.get(0);
  }

  @Test
  void aQuietServiceHasNoFindings() {
    Observed observed = new Observed().prefix(SESSION, 0, 100, 0);
    AuditObservations observations = observed.build();

    ServiceAudit audit = new AuditRules(AuditThresholds.defaults()).audit(observations);

    assertThat(audit.findings()).isEmpty();
    assertThat(audit.summary()).isSameAs(observations.summary());
    assertThat(audit.connections()).isSameAs(observations.connections());
  }

  // NO_TTL_WRITES

  @Test
  void writesLeftWithoutTtlAreAFinding() {
    Finding finding = only(new Observed().prefix(SESSION, 40, 50, 10));

    assertThat(finding.rule()).isEqualTo(AuditRule.NO_TTL_WRITES);
    assertThat(finding.severity()).isEqualTo(Severity.WARNING);
    assertThat(finding.prefix()).isEqualTo(SESSION);
    assertThat(finding.evidence())
        .containsExactly(
            entry("writes", 105L),
            entry("writesWithoutTtl", 40L),
            entry("writesWithTtl", 50L),
            entry("writesWithTtlLater", 10L),
            entry("percentWithoutTtl", 40.0),
            entry("bytesWritten", 4_096L));
    assertThat(finding.message()).startsWith("40 writes to session:*").contains("(40.0% of");
    assertThat(finding.callSites()).isEmpty();
    assertThat(finding.recommendation()).contains("EX <seconds>").contains(SESSION);
  }

  @Test
  void writesLeftWithoutTtlNameTheCodeThatSentThemAndOnlyForTheirPrefix() {
    Observed observed = new Observed().prefix(SESSION, 40, 50, 10);
    observed.noTtlWriteSites.put(SESSION, SEVEN_SITES);
    observed.noTtlWriteSites.put("cart:*", List.of("com.acme.Cart.add(Cart.java:9)"));

    Finding finding = only(observed);
    // At most five, most frequent first, as for every rule.
    assertThat(finding.callSites()).containsExactlyElementsOf(SEVEN_SITES.subList(0, 5));
  }

  @Test
  void aPrefixWrittenOnlyWithTtlIsNoFinding() {
    assertThat(findings(new Observed().prefix(SESSION, 0, 10_000, 0))).isEmpty();
    // Writes given their TTL by a later EXPIRE are not without TTL either.
    assertThat(findings(new Observed().prefix(SESSION, 0, 0, 10_000))).isEmpty();
  }

  @Test
  void fewerWritesWithoutTtlThanTheMinimumAreNoFinding() {
    assertThat(findings(new Observed().prefix(SESSION, 9, 0, 0))).isEmpty();
    assertThat(only(new Observed().prefix(SESSION, 10, 0, 0)).severity())
        .isEqualTo(Severity.WARNING);
  }

  @Test
  void aMinimumOfZeroStillNeedsOneWriteWithoutTtl() {
    AuditThresholds thresholds = AuditThresholds.defaults().with("no_ttl_writes.min_writes", 0);

    assertThat(findings(thresholds, new Observed().prefix(SESSION, 0, 5, 0))).isEmpty();
    assertThat(findings(thresholds, new Observed().prefix(SESSION, 1, 5, 0))).hasSize(1);
  }

  @Test
  void writesWithoutTtlBecomeCriticalAtTheCriticalCount() {
    assertThat(only(new Observed().prefix(SESSION, 999, 0, 0)).severity())
        .isEqualTo(Severity.WARNING);
    Finding critical = only(new Observed().prefix(SESSION, 1_000, 0, 0));
    assertThat(critical.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(critical.evidence()).containsEntry("percentWithoutTtl", 100.0);
  }

  @Test
  void eachPrefixIsJudgedOnItsOwn() {
    List<Finding> findings =
        findings(
            new Observed()
                .prefix(SESSION, 2_000, 0, 0)
                .prefix(PRODUCT, 1, 10, 0)
                .prefix("cart:*", 12, 24, 0));

    assertThat(findings)
        .extracting(Finding::prefix, Finding::severity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(SESSION, Severity.CRITICAL),
            org.assertj.core.groups.Tuple.tuple("cart:*", Severity.WARNING));
    assertThat(findings.get(1).evidence()).containsEntry("percentWithoutTtl", 33.3);
  }

  // CONNECTION_CHURN

  @Test
  void connectionsOpenedPerRequestAreChurn() {
    Finding finding = only(new Observed().connections(600, 598, 3, 2, SEVEN_SITES));

    assertThat(finding.rule()).isEqualTo(AuditRule.CONNECTION_CHURN);
    assertThat(finding.severity()).isEqualTo(Severity.WARNING);
    assertThat(finding.prefix()).isNull();
    assertThat(finding.evidence())
        .containsExactly(
            entry("pattern", "churn"),
            entry("opened", 600L),
            entry("closed", 598L),
            entry("stillOpen", 2L),
            entry("opensPerMinute", 60.0),
            entry("peakOpensPerMinute", 300L),
            entry("lifetimeP50Millis", 3L),
            entry("lifetimeP99Millis", 12L),
            entry("commandsPerConnectionP50", 2L),
            entry("callSitesSampled", 70L));
    assertThat(finding.callSites()).containsExactlyElementsOf(SEVEN_SITES.subList(0, 5));
    assertThat(finding.message()).contains("60.0 connections per minute").contains("3 ms");
  }

  @Test
  void churnBecomesCriticalAtTheCriticalRate() {
    // 10 minutes: 5,990 opens are 599 a minute, 6,000 are 600.
    assertThat(only(new Observed().connections(5_990, 5_990, 3, 2, List.of())).severity())
        .isEqualTo(Severity.WARNING);
    Finding critical = only(new Observed().connections(6_000, 6_000, 3, 2, List.of()));
    assertThat(critical.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(critical.callSites()).isEmpty();
  }

  @Test
  void aPooledServiceIsNoChurn() {
    // A pool of 8 connections opened at start-up, living the whole window.
    assertThat(findings(new Observed().connections(8, 0, 0, 0, SEVEN_SITES))).isEmpty();
    // A pool that recycles its connections now and then: few opens, long lifetimes, many
    // commands each.
    assertThat(findings(new Observed().connections(40, 32, 1_800_000, 90_000, SEVEN_SITES)))
        .isEmpty();
  }

  @Test
  void eachChurnConditionIsNeeded() {
    // Short-lived, few commands, but fewer opens than the minimum (at a high rate).
    Observed fewOpens = new Observed().connections(49, 49, 3, 2, List.of());
    fewOpens.window = Duration.ofSeconds(30);
    assertThat(findings(fewOpens)).isEmpty();
    // Enough opens, but under 30 a minute over a long window.
    Observed slow = new Observed().connections(290, 290, 3, 2, List.of());
    assertThat(findings(slow)).isEmpty();
    // Connections that live longer than the maximum.
    assertThat(findings(new Observed().connections(600, 600, 5_001, 2, List.of()))).isEmpty();
    assertThat(findings(new Observed().connections(600, 600, 5_000, 2, List.of()))).hasSize(1);
    // Connections that carry more commands than the maximum.
    assertThat(findings(new Observed().connections(600, 600, 3, 21, List.of()))).isEmpty();
    assertThat(findings(new Observed().connections(600, 600, 3, 20, List.of()))).hasSize(1);
  }

  @Test
  void connectionsOpenedPerRequestAndNeverClosedAreALeak() {
    // Sustained opens (600 in ten minutes), none closed: before, no lifetimes meant no finding.
    Finding finding = only(new Observed().connections(600, 0, 0, 0, SEVEN_SITES));

    assertThat(finding.rule()).isEqualTo(AuditRule.CONNECTION_CHURN);
    assertThat(finding.severity()).isEqualTo(Severity.WARNING);
    assertThat(finding.prefix()).isNull();
    assertThat(finding.evidence())
        .containsExactly(
            entry("pattern", "leak"),
            entry("opened", 600L),
            entry("closed", 0L),
            entry("stillOpen", 600L),
            entry("opensPerMinute", 60.0),
            entry("peakOpensPerMinute", 300L),
            entry("lifetimeP50Millis", 0L),
            entry("lifetimeP99Millis", 0L),
            entry("commandsPerConnectionP50", 0L),
            entry("commandsPerOpenedConnection", 16.7),
            entry("callSitesSampled", 70L));
    assertThat(finding.callSites()).containsExactlyElementsOf(SEVEN_SITES.subList(0, 5));
    assertThat(finding.message())
        .isEqualTo(
            "Opens 60.0 connections per minute and does not close them: 600 opened, 0 closed, so"
                + " 600 are still open and the count keeps growing (16.7 commands per connection"
                + " on average): a connection leak.");
    assertThat(finding.recommendation())
        .startsWith("Close every connection the code opens")
        .contains("try-with-resources");
  }

  @Test
  void aLeakBecomesCriticalAtTheCriticalRate() {
    assertThat(only(new Observed().connections(5_990, 0, 0, 0, List.of())).severity())
        .isEqualTo(Severity.WARNING);
    assertThat(only(new Observed().connections(6_000, 0, 0, 0, List.of())).severity())
        .isEqualTo(Severity.CRITICAL);
  }

  @Test
  void aLeakThatClosesSomeConnectionsIsStillALeak() {
    // 350 of 600 still open; the closed ones lived long, so this is no churn.
    Finding leak = only(new Observed().connections(600, 250, 60_000, 30, List.of()));
    assertThat(leak.evidence()).containsEntry("pattern", "leak").containsEntry("stillOpen", 350L);

    // Short-lived closed ones too: the leak is the finding, and there is only one.
    Finding both = only(new Observed().connections(600, 200, 3, 2, List.of()));
    assertThat(both.evidence()).containsEntry("pattern", "leak").containsEntry("stillOpen", 400L);
    assertThat(both.message()).contains("a connection leak");

    // Mostly closed and short-lived: churn, with the few still open in the evidence.
    Finding churn = only(new Observed().connections(600, 500, 3, 2, List.of()));
    assertThat(churn.evidence()).containsEntry("pattern", "churn").containsEntry("stillOpen", 100L);
    assertThat(churn.message()).contains("a connection per request");
  }

  @Test
  void eachLeakConditionIsNeeded() {
    // Fewer opens than the minimum, at a high rate.
    Observed fewOpens = new Observed().connections(49, 0, 0, 0, List.of());
    fewOpens.window = Duration.ofSeconds(30);
    assertThat(findings(fewOpens)).isEmpty();
    // Enough opens, but under 30 a minute over a long window: a pool that grew, not a leak.
    assertThat(findings(new Observed().connections(290, 0, 0, 0, List.of()))).isEmpty();
    // More closed than still open, and those long-lived.
    assertThat(findings(new Observed().connections(600, 301, 60_000, 30, List.of()))).isEmpty();
    assertThat(findings(new Observed().connections(600, 300, 60_000, 30, List.of()))).hasSize(1);
    // Fewer still open than the minimum.
    Observed fewOpen = new Observed().connections(60, 11, 60_000, 30, List.of());
    fewOpen.window = Duration.ofMinutes(1);
    fewOpen.commands = 100;
    assertThat(findings(fewOpen)).isEmpty();
    fewOpen.connections(60, 10, 60_000, 30, List.of());
    assertThat(findings(fewOpen)).hasSize(1);
    // Connections that carry more commands than the maximum, on average over all opened.
    Observed busy = new Observed().connections(600, 0, 0, 0, List.of());
    busy.commands = 12_001;
    assertThat(findings(busy)).isEmpty();
    busy.commands = 12_000;
    assertThat(findings(busy)).hasSize(1);
  }

  @Test
  void aBigPoolIsNoLeak() {
    // 64 connections opened at start-up and kept for the window.
    assertThat(findings(new Observed().connections(64, 0, 0, 0, SEVEN_SITES))).isEmpty();
    // 400 kept open, opened at 40 a minute, but each carrying thousands of commands.
    Observed pool = new Observed().connections(400, 0, 0, 0, SEVEN_SITES);
    pool.commands = 2_000_000;
    assertThat(findings(pool)).isEmpty();
  }

  @Test
  void aPoolWarmedUpInOneBurstIsNoLeakEvenInAShortJob() {
    // A 5 s job that opened a 64-connection pool at start-up: 768 opens a minute, all in one.
    Observed job = new Observed().connections(64, 0, 0, 0, List.of());
    job.window = Duration.ofSeconds(5);
    job.commands = 500;
    ConnectionSummary burst = job.connections;
    job.connections =
        new ConnectionSummary(
            burst.opened(),
            burst.closed(),
            burst.lifetimeP50Millis(),
            burst.lifetimeP99Millis(),
            burst.commandsPerConnectionP50(),
            burst.commandsPerConnectionP99(),
            burst.opensPerMinuteStart(),
            List.of(64L),
            burst.callSites(),
            burst.callSitesSampled());
    assertThat(findings(job)).isEmpty();

    // The same opens spread over two minutes keep growing: a leak.
    job.connections =
        new ConnectionSummary(
            burst.opened(),
            burst.closed(),
            burst.lifetimeP50Millis(),
            burst.lifetimeP99Millis(),
            burst.commandsPerConnectionP50(),
            burst.commandsPerConnectionP99(),
            burst.opensPerMinuteStart(),
            List.of(32L, 32L),
            burst.callSites(),
            burst.callSitesSampled());
    job.window = Duration.ofSeconds(90);
    assertThat(only(job).evidence()).containsEntry("pattern", "leak");
  }

  @Test
  void aWindowUnderASecondCountsAsASecond() {
    Observed observed = new Observed().connections(50, 50, 1, 1, List.of());
    observed.window = Duration.ZERO;

    Finding finding = only(observed);

    assertThat(finding.evidence()).containsEntry("opensPerMinute", 3_000.0);
    assertThat(finding.severity()).isEqualTo(Severity.CRITICAL);
    // One command per connection, said as such.
    assertThat(finding.message()).contains("carry 1 command (medians)");
  }

  // DANGEROUS_COMMAND

  @Test
  void aCommandThatBlocksOrWipesTheServerIsCritical() {
    Observed observed = new Observed();
    observed.dangerous.add(new DangerousUse("KEYS", 12, 0, 0, false, SEVEN_SITES));

    Finding finding = only(observed);

    assertThat(finding.rule()).isEqualTo(AuditRule.DANGEROUS_COMMAND);
    assertThat(finding.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(finding.prefix()).isNull();
    assertThat(finding.evidence())
        .containsExactly(
            entry("command", "KEYS"), entry("reason", "dangerous"), entry("count", 12L));
    assertThat(finding.subject()).isEqualTo("command=KEYS, reason=dangerous");
    assertThat(finding.callSites()).containsExactlyElementsOf(SEVEN_SITES.subList(0, 5));
    assertThat(finding.message())
        .isEqualTo(
            "KEYS sent 12 times: it can block, wipe or reconfigure the server for every client.");
    assertThat(finding.recommendation()).contains("SCAN");
  }

  @Test
  void everyCriticalCommandIsCriticalAndOthersAreWarnings() {
    for (String command :
        List.of("KEYS", "FLUSHALL", "FLUSHDB", "DEBUG", "MONITOR", "SAVE", "SHUTDOWN")) {
      Observed observed = new Observed();
      observed.dangerous.add(new DangerousUse(command, 1, 0, 0, false, List.of()));
      assertThat(only(observed).severity()).as(command).isEqualTo(Severity.CRITICAL);
    }
    Observed config = new Observed();
    config.dangerous.add(
        new DangerousUse("CONFIG SET", 2, 0, 0, false, List.of("x.Y.z(Y.java:1)")));
    Finding finding = only(config);
    assertThat(finding.severity()).isEqualTo(Severity.WARNING);
    assertThat(finding.callSites()).containsExactly("x.Y.z(Y.java:1)");
    assertThat(finding.recommendation()).startsWith("Run CONFIG SET from operations tooling");
  }

  @Test
  void aLargeReplyOfAnONReadIsAWarningWithItsSize() {
    Observed observed = new Observed();
    observed.dangerous.add(new DangerousUse("HGETALL", 7, 25_000, 3_500_000, true, List.of()));

    Finding finding = only(observed);

    assertThat(finding.severity()).isEqualTo(Severity.WARNING);
    assertThat(finding.evidence())
        .containsExactly(
            entry("command", "HGETALL"),
            entry("reason", "large_reply"),
            entry("count", 7L),
            entry("maxReplyElements", 25_000L),
            entry("maxReplyBytes", 3_500_000L));
    assertThat(finding.message())
        .startsWith("HGETALL returned 7 large replies (up to 25000 elements)");
    assertThat(finding.recommendation()).contains("HSCAN");
  }

  @Test
  void aLargeReplyReadOfACriticalCommandIsStillAWarning() {
    Observed observed = new Observed();
    observed.dangerous.add(new DangerousUse("KEYS", 3, 50_000, 0, true, List.of()));

    Finding finding = only(observed);

    assertThat(finding.severity()).isEqualTo(Severity.WARNING);
    assertThat(finding.evidence())
        .containsOnlyKeys("command", "reason", "count", "maxReplyElements");
    assertThat(finding.subject()).isEqualTo("command=KEYS, reason=large_reply");
  }

  // BIG_VALUE

  @Test
  void bigWritesAreAFinding() {
    Observed observed = new Observed();
    observed.bigValues.add(new BigValues(PRODUCT, 3, 200 * 1024, 0, 0));

    Finding finding = only(observed);

    assertThat(finding.rule()).isEqualTo(AuditRule.BIG_VALUE);
    assertThat(finding.severity()).isEqualTo(Severity.WARNING);
    assertThat(finding.prefix()).isEqualTo(PRODUCT);
    assertThat(finding.evidence())
        .containsExactly(
            entry("bigWrites", 3L),
            entry("maxWriteBytes", 204_800L),
            entry("bigReplies", 0L),
            entry("maxReplyBytes", 0L),
            entry("writeThresholdBytes", 102_400L),
            entry("replyThresholdBytes", 1_048_576L));
    assertThat(finding.message())
        .isEqualTo(
            "3 writes of at least 100.0 KB and 0 replies of at least 1.0 MB on product:cache:*"
                + " (largest 200.0 KB).");
  }

  @Test
  void aPrefixWithoutBigValuesIsNoFinding() {
    Observed observed = new Observed();
    observed.bigValues.add(new BigValues(PRODUCT, 0, 0, 0, 0));
    assertThat(findings(observed)).isEmpty();
  }

  @Test
  void aValueTenTimesTheThresholdIsCritical() {
    Observed write = new Observed();
    write.bigValues.add(new BigValues(PRODUCT, 1, 10 * 102_400 - 1, 0, 0));
    assertThat(only(write).severity()).isEqualTo(Severity.WARNING);

    Observed hugeWrite = new Observed();
    hugeWrite.bigValues.add(new BigValues(PRODUCT, 1, 10 * 102_400, 0, 0));
    assertThat(only(hugeWrite).severity()).isEqualTo(Severity.CRITICAL);

    Observed reply = new Observed();
    reply.bigValues.add(new BigValues(PRODUCT, 0, 0, 2, 10 * 1_048_576 - 1));
    assertThat(only(reply).severity()).isEqualTo(Severity.WARNING);

    Observed hugeReply = new Observed();
    hugeReply.bigValues.add(new BigValues(PRODUCT, 0, 0, 2, 10 * 1_048_576));
    Finding finding = only(hugeReply);
    assertThat(finding.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(finding.message()).endsWith("(largest 10.0 MB).");
  }

  @Test
  void formatsBytes() {
    assertThat(AuditRules.bytes(0)).isEqualTo("0 B");
    assertThat(AuditRules.bytes(1023)).isEqualTo("1023 B");
    assertThat(AuditRules.bytes(1024)).isEqualTo("1.0 KB");
    assertThat(AuditRules.bytes(1536)).isEqualTo("1.5 KB");
    assertThat(AuditRules.bytes(1024 * 1024 - 1)).isEqualTo("1024.0 KB");
    assertThat(AuditRules.bytes(1024 * 1024)).isEqualTo("1.0 MB");
    assertThat(AuditRules.bytes(150L * 1024 * 1024)).isEqualTo("150.0 MB");
  }

  // HOT_KEY

  @Test
  void aKeyTakingAnOutsizedShareIsHot() {
    Observed observed = new Observed();
    observed.hotKeySampled = 1_000;
    observed.hotKeys.add(new HotKeyShare("config:flags", "config:*", 300, 50));

    Finding finding = only(observed);

    assertThat(finding.rule()).isEqualTo(AuditRule.HOT_KEY);
    assertThat(finding.severity()).isEqualTo(Severity.WARNING);
    assertThat(finding.prefix()).isEqualTo("config:*");
    assertThat(finding.evidence())
        .containsExactly(
            entry("key", "config:flags"),
            entry("sampledCommands", 1_000L),
            entry("keyCommandsGuaranteed", 250L),
            entry("keyCommandsEstimated", 300L),
            entry("percentOfCommands", 25.0));
    assertThat(finding.message()).startsWith("Key config:flags takes at least 25.0% of");
  }

  @Test
  void theShareAndTheCountItIsOfAgree() {
    Observed observed = new Observed();
    observed.hotKeySampled = 2_000;
    observed.hotKeys.add(new HotKeyShare("k", "k:*", 900, 100));

    Finding finding = only(observed);

    // 800 of 2,000 is 40%: the percentage is the guaranteed count's, not the estimate's (45%).
    long guaranteed = (Long) finding.evidence().get("keyCommandsGuaranteed");
    long sampled = (Long) finding.evidence().get("sampledCommands");
    assertThat(finding.evidence().get("percentOfCommands"))
        .isEqualTo(Math.round(1000.0 * guaranteed / sampled) / 10.0)
        .isEqualTo(40.0);
    assertThat(finding.evidence()).containsEntry("keyCommandsEstimated", 900L);
    assertThat(finding.evidence()).doesNotContainKey("keyCommands");
  }

  @Test
  void aKeyBelowTheShareIsNotHot() {
    Observed observed = new Observed();
    observed.hotKeySampled = 1_000;
    // 25% by estimate, but only 19% certainly this key's.
    observed.hotKeys.add(new HotKeyShare("a", "a:*", 250, 60));
    observed.hotKeys.add(new HotKeyShare("b", "b:*", 199, 0));
    observed.hotKeys.add(new HotKeyShare("c", "c:*", 200, 0));

    assertThat(findings(observed)).extracting(Finding::prefix).containsExactly("c:*");
  }

  @Test
  void tooSmallASampleHasNoHotKeys() {
    Observed observed = new Observed();
    observed.hotKeySampled = 999;
    observed.hotKeys.add(new HotKeyShare("a", "a:*", 999, 0));

    assertThat(findings(observed)).isEmpty();
  }

  // ROUND_TRIP_STORM

  @Test
  void aStormIsAFindingWithItsCallSite() {
    Observed observed = new Observed();
    observed.storms.add(
        new Storm("GET", PRODUCT, "com.acme.Catalog.load(Catalog.java:88)", 40, 1_600, 120));

    Finding finding = only(observed);

    assertThat(finding.rule()).isEqualTo(AuditRule.ROUND_TRIP_STORM);
    assertThat(finding.severity()).isEqualTo(Severity.WARNING);
    assertThat(finding.prefix()).isEqualTo(PRODUCT);
    assertThat(finding.evidence())
        .containsExactly(
            entry("command", "GET"),
            entry("bursts", 40L),
            entry("commandsInBursts", 1_600L),
            entry("longestBurst", 120L),
            entry("runLengthThreshold", 20L));
    assertThat(finding.callSites()).containsExactly("com.acme.Catalog.load(Catalog.java:88)");
    assertThat(finding.message())
        .isEqualTo(
            "40 bursts of up to 120 sequential GET commands on product:cache:*, one round trip"
                + " each (the N+1 pattern).");
    assertThat(finding.recommendation()).endsWith("one round trip instead of 120.");
  }

  @Test
  void aStormWithoutPrefixOrCallSite() {
    Observed observed = new Observed();
    observed.storms.add(new Storm("PING", null, null, 2, 50, 25));

    Finding finding = only(observed);

    assertThat(finding.prefix()).isNull();
    assertThat(finding.callSites()).isEmpty();
    assertThat(finding.message()).contains("sequential PING commands on keys,");
  }

  // SLOW_COMMAND

  @Test
  void aCommandWithAHighP99IsSlow() {
    Observed observed = new Observed();
    observed.latencies.add(new CommandLatency("GET", PRODUCT, 100, 60_400, SEVEN_SITES));

    Finding finding = only(observed);

    assertThat(finding.rule()).isEqualTo(AuditRule.SLOW_COMMAND);
    assertThat(finding.severity()).isEqualTo(Severity.WARNING);
    assertThat(finding.prefix()).isEqualTo(PRODUCT);
    assertThat(finding.evidence())
        .containsExactly(
            entry("command", "GET"),
            entry("count", 100L),
            entry("p99Micros", 60_400L),
            entry("thresholdMicros", 50_000L));
    assertThat(finding.callSites()).containsExactlyElementsOf(SEVEN_SITES.subList(0, 5));
    assertThat(finding.message())
        .isEqualTo("GET on product:cache:* has a client-side p99 of 60 ms over 100 commands.");
  }

  @Test
  void aKeylessSlowCommandHasNoPrefix() {
    Observed observed = new Observed();
    observed.latencies.add(new CommandLatency("EVALSHA", null, 20, 75_500, List.of()));

    Finding finding = only(observed);

    assertThat(finding.prefix()).isNull();
    assertThat(finding.message())
        .isEqualTo("EVALSHA has a client-side p99 of 76 ms over 20 commands.");
  }

  @Test
  void aFastCommandOrTooFewCommandsAreNotSlow() {
    Observed observed = new Observed();
    observed.latencies.add(new CommandLatency("GET", "a:*", 1_000_000, 49_999, List.of()));
    observed.latencies.add(new CommandLatency("GET", "b:*", 19, 900_000, List.of()));
    observed.latencies.add(new CommandLatency("GET", "c:*", 20, 50_000, List.of()));

    assertThat(findings(observed)).extracting(Finding::prefix).containsExactly("c:*");
  }

  @Test
  void aSlowCommandBecomesCriticalAtTheCriticalP99() {
    Observed observed = new Observed();
    observed.latencies.add(new CommandLatency("GET", "a:*", 50, 499_999, List.of()));
    observed.latencies.add(new CommandLatency("GET", "b:*", 50, 500_000, List.of()));

    assertThat(findings(observed))
        .extracting(Finding::prefix, Finding::severity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("b:*", Severity.CRITICAL),
            org.assertj.core.groups.Tuple.tuple("a:*", Severity.WARNING));
  }

  @Test
  void changedThresholdsApply() {
    AuditThresholds thresholds =
        AuditThresholds.defaults()
            .with("slow_command.p99_millis", 10)
            .with("slow_command.min_commands", 1)
            .with("hot_key.share_percent", 50)
            .with("round_trip_storm.run_length", 8);
    Observed observed = new Observed();
    observed.latencies.add(new CommandLatency("GET", "a:*", 1, 10_000, List.of()));
    observed.hotKeySampled = 5_000;
    observed.hotKeys.add(new HotKeyShare("k", "k:*", 2_000, 0));
    observed.storms.add(new Storm("GET", "s:*", null, 1, 8, 8));

    List<Finding> findings = findings(thresholds, observed);

    assertThat(findings)
        .extracting(Finding::rule)
        .containsExactly(AuditRule.ROUND_TRIP_STORM, AuditRule.SLOW_COMMAND);
    assertThat(findings.get(0).evidence()).containsEntry("runLengthThreshold", 8L);
  }

  // Together

  @Test
  void findingsAreOrderedBySeverityThenRuleThenPrefix() {
    Observed observed =
        new Observed()
            .prefix("z:*", 5_000, 0, 0)
            .prefix("a:*", 50, 0, 0)
            .connections(600, 600, 3, 2, List.of());
    observed.dangerous.add(new DangerousUse("FLUSHALL", 1, 0, 0, false, List.of()));
    observed.latencies.add(new CommandLatency("GET", "m:*", 100, 80_000, List.of()));
    observed.storms.add(new Storm("GET", "m:*", null, 3, 90, 30));

    assertThat(findings(observed))
        .extracting(Finding::severity, Finding::rule, Finding::prefix)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Severity.CRITICAL, AuditRule.NO_TTL_WRITES, "z:*"),
            org.assertj.core.groups.Tuple.tuple(
                Severity.CRITICAL, AuditRule.DANGEROUS_COMMAND, null),
            org.assertj.core.groups.Tuple.tuple(Severity.WARNING, AuditRule.NO_TTL_WRITES, "a:*"),
            org.assertj.core.groups.Tuple.tuple(Severity.WARNING, AuditRule.CONNECTION_CHURN, null),
            org.assertj.core.groups.Tuple.tuple(
                Severity.WARNING, AuditRule.ROUND_TRIP_STORM, "m:*"),
            org.assertj.core.groups.Tuple.tuple(Severity.WARNING, AuditRule.SLOW_COMMAND, "m:*"));
  }

  @Test
  void observationsRejectMissingPartsAndCopyTheirLists() {
    Observed observed = new Observed();
    observed.storms.add(new Storm("GET", "m:*", null, 3, 90, 30));
    List<String> sites = new ArrayList<>(List.of("a.B.c(B.java:1)"));
    CommandLatency latency = new CommandLatency("GET", null, 1, 1, sites);
    observed.latencies.add(latency);
    AuditObservations observations = observed.build();

    observed.storms.clear();
    sites.clear();

    assertThat(observations.storms()).hasSize(1);
    assertThat(latency.callSites()).containsExactly("a.B.c(B.java:1)");
    assertThatThrownBy(() -> observations.storms().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(
            () ->
                new AuditObservations(
                    null,
                    ConnectionSummary.none(START),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    0,
                    List.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("summary");
    assertThatThrownBy(
            () ->
                new AuditObservations(
                    observations.summary(),
                    null,
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    0,
                    List.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("connections");
  }
}
