package io.cachelens.it.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.analysis.json.JsonReader;
import io.cachelens.it.audit.scenario.FindingEventsTraffic;
import io.cachelens.testing.jvm.AgentJvm;
import io.cachelens.testing.jvm.Classpaths;
import io.cachelens.testing.otlp.OtlpReceiver;
import io.cachelens.testing.otlp.ReceivedLog;
import io.cachelens.testing.otlp.ReceivedMetric;
import io.cachelens.testing.redis.RedisServerExtension;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit as OpenTelemetry data, end to end: a forked service under the agent jar exports over
 * OTLP http/protobuf to an in-test receiver; its findings arrive as {@code cachelens.audit.finding}
 * events, each once (again only when its severity rises), and its TTL-less writes and connection
 * opens as counters whose final values are the audit's exact counts.
 */
class AuditTelemetryTest {
  @RegisterExtension static RedisServerExtension redis = RedisServerExtension.withConfig();

  private static final String SERVICE = "finding-events";
  private static final String EVENT = "cachelens.audit.finding";
  private static final long REPORT_INTERVAL_MILLIS = 300;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern WINDOW_END = Pattern.compile("\"end\": \"([^\"]+)\"");

  @TempDir Path reports;

  @Test
  void findingsAreEventsOncePerChangeAndTheCountersAreTheAuditsExactCounts() throws Exception {
    try (OtlpReceiver otlp = OtlpReceiver.start();
        AgentJvm.RunningJvm service = service(otlp).start()) {
      service.awaitOutput(FindingEventsTraffic.PHASE_ONE_DONE, Duration.ofSeconds(60));

      // Phase 1: four findings, each one event...
      otlp.awaitLogs(AuditTelemetryTest::isFinding, 4, WAIT);
      // ... and still one after three more report windows in which nothing changed but numbers.
      awaitReportWindows(3);
      Thread.sleep(500);
      List<ReceivedLog> phaseOne = findings(otlp);
      assertThat(phaseOne)
          .extracting(AuditTelemetryTest::identity)
          .containsExactlyInAnyOrder(
              "CONNECTION_CHURN  warning",
              "DANGEROUS_COMMAND  critical",
              "ROUND_TRIP_STORM product:cache:* warning",
              "NO_TTL_WRITES product:cache:* warning");

      try (OutputStream stdin = service.stdin()) {
        stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
      }
      AgentJvm.Result result = service.waitFor(Duration.ofSeconds(60)).requireSuccess();
      assertThat(result.stdout()).contains("done");

      // Phase 2: the product prefix became critical (one more event), a new prefix appeared (one
      // event); KEYS and the N+1 loop ran again with new numbers but the same severity (none).
      List<ReceivedLog> events = otlp.awaitLogs(AuditTelemetryTest::isFinding, 6, WAIT);
      Thread.sleep(300);
      events = findings(otlp);
      assertThat(events)
          .extracting(AuditTelemetryTest::identity)
          .containsExactlyInAnyOrder(
              "CONNECTION_CHURN  warning",
              "DANGEROUS_COMMAND  critical",
              "ROUND_TRIP_STORM product:cache:* warning",
              "NO_TTL_WRITES product:cache:* warning",
              "NO_TTL_WRITES product:cache:* critical",
              "NO_TTL_WRITES catalog:item:* warning");

      Map<String, Object> audit =
          JsonReader.parseObject(Files.readString(reports.resolve(SERVICE + ".json")));
      assertEventsMatchTheAudit(events, audit);
      assertEventFields(events);
      assertWritesWithoutTtl(otlp, audit);
      assertConnectionsOpened(otlp, audit);
    }
  }

  private void assertEventFields(List<ReceivedLog> events) {
    for (ReceivedLog event : events) {
      assertThat(event.eventName()).isEqualTo(EVENT);
      assertThat(event.resourceAttribute("service.name")).isEqualTo(SERVICE);
      assertThat(event.scope().getName()).isEqualTo("io.cachelens");
      assertThat(event.body()).isNotBlank();
      assertThat(event.attribute("cachelens.audit.recommendation")).isNotBlank();
      String severity = event.attribute("cachelens.audit.severity");
      assertThat(event.severityText())
          .isEqualTo(
              severity.equals("critical") ? "ERROR" : severity.equals("warning") ? "WARN" : "INFO");
      assertThat(event.severityNumber())
          .isEqualTo(
              severity.equals("critical")
                  ? SeverityNumber.SEVERITY_NUMBER_ERROR
                  : SeverityNumber.SEVERITY_NUMBER_WARN);
      // Values never leave the process: findings carry prefixes, not keys.
      assertThat(event.attributes().toString()).doesNotContain("product:cache:1", "{\"id\"");
    }

    ReceivedLog churn = only(events, "CONNECTION_CHURN", null, "warning");
    assertThat(churn.attribute("cachelens.key.prefix")).isNull();
    List<String> churnSites = churn.listAttribute("cachelens.audit.call_sites");
    assertThat(churnSites).hasSize(2);
    assertThat(churnSites.get(0)).matches(site("openPerRequest"));
    assertThat(churnSites.get(1)).matches(site("openShared"));
    assertThat(churn.longAttribute("cachelens.audit.evidence.opened"))
        .isBetween(50L, (long) FindingEventsTraffic.CHURN + 1);
    assertThat(churn.doubleAttribute("cachelens.audit.evidence.opensPerMinute")).isPositive();
    assertThat(churn.body()).startsWith("Opens ");

    ReceivedLog keys = only(events, "DANGEROUS_COMMAND", null, "critical");
    assertThat(keys.body()).startsWith("KEYS sent 1 times");
    assertThat(keys.listAttribute("cachelens.audit.call_sites"))
        .singleElement()
        .asString()
        .matches(site("listOrders"));
    assertThat(keys.longAttribute("cachelens.audit.evidence.count")).isEqualTo(1L);
    assertThat(keys.attribute("cachelens.audit.evidence.command")).isEqualTo("KEYS");
    assertThat(keys.attribute("cachelens.audit.evidence.reason")).isEqualTo("dangerous");

    ReceivedLog storm = only(events, "ROUND_TRIP_STORM", "product:cache:*", "warning");
    assertThat(storm.attribute("cachelens.audit.evidence.command")).isEqualTo("GET");
    assertThat(storm.longAttribute("cachelens.audit.evidence.bursts")).isEqualTo(1L);
    assertThat(storm.listAttribute("cachelens.audit.call_sites"))
        .singleElement()
        .asString()
        .matches(site("readProductsOneByOne"));

    // A report window can fall in the middle of a pipeline's replies, so an event may carry the
    // count at the moment the finding (or its new severity) first showed.
    ReceivedLog warning = only(events, "NO_TTL_WRITES", "product:cache:*", "warning");
    assertThat(warning.longAttribute("cachelens.audit.evidence.writesWithoutTtl"))
        .isBetween(10L, (long) FindingEventsTraffic.PRODUCTS);
    assertThat(warning.attribute("cachelens.audit.previous_severity")).isNull();
    assertThat(warning.listAttribute("cachelens.audit.call_sites"))
        .singleElement()
        .asString()
        .matches(site("writeProducts"));
    ReceivedLog critical = only(events, "NO_TTL_WRITES", "product:cache:*", "critical");
    assertThat(critical.longAttribute("cachelens.audit.evidence.writesWithoutTtl"))
        .isBetween(
            (long) FindingEventsTraffic.CRITICAL_WRITES,
            (long) FindingEventsTraffic.PRODUCTS + FindingEventsTraffic.MORE_PRODUCTS);
    assertThat(critical.attribute("cachelens.audit.previous_severity")).isEqualTo("warning");
    assertThat(critical.body()).contains("product:cache:*");
    ReceivedLog catalog = only(events, "NO_TTL_WRITES", "catalog:item:*", "warning");
    assertThat(catalog.longAttribute("cachelens.audit.evidence.writesWithoutTtl"))
        .isBetween(10L, (long) FindingEventsTraffic.CATALOG_ITEMS);
    assertThat(catalog.doubleAttribute("cachelens.audit.evidence.percentWithoutTtl"))
        .isEqualTo(100.0);
    // Pipelined, but Jedis reads the replies on the thread that sent them.
    assertThat(catalog.listAttribute("cachelens.audit.call_sites"))
        .singleElement()
        .asString()
        .matches(site("main"));
  }

  /** Every finding of the final audit was emitted once, with its rule, prefix and severity. */
  private static void assertEventsMatchTheAudit(
      List<ReceivedLog> events, Map<String, Object> audit) {
    Set<String> emitted =
        events.stream().map(AuditTelemetryTest::identity).collect(Collectors.toSet());
    List<Map<String, Object>> findings = array(audit, "findings");
    assertThat(findings).hasSize(5);
    for (Map<String, Object> finding : findings) {
      String identity =
          finding.get("rule")
              + " "
              + (finding.get("prefix") == null ? "" : finding.get("prefix"))
              + " "
              + finding.get("severity");
      assertThat(emitted).as("an event for " + finding).contains(identity);
    }
  }

  private static void assertWritesWithoutTtl(OtlpReceiver otlp, Map<String, Object> audit) {
    Map<String, Long> expected = new TreeMap<>();
    expected.put(
        "product:cache:*",
        (long) FindingEventsTraffic.PRODUCTS + FindingEventsTraffic.MORE_PRODUCTS);
    expected.put("catalog:item:*", (long) FindingEventsTraffic.CATALOG_ITEMS);
    expected.put("order:recent:*", 0L);
    expected.put("session:user:*", 0L);
    expected.put("ratelimit:*", 0L);
    // The agent's last export (at exit) holds the exact totals.
    ReceivedMetric writes =
        otlp.awaitMetric(
            "cachelens.writes.without_ttl",
            metric -> metric.longSumBy("cachelens.key.prefix").equals(expected),
            WAIT);
    assertThat(writes.isMonotonicSum()).isTrue();
    assertThat(writes.metric().getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    assertThat(writes.unit()).isEqualTo("{write}");
    assertThat(writes.resourceAttribute("service.name")).isEqualTo(SERVICE);
    assertThat(writes.scopeName()).isEqualTo("io.cachelens");

    // The same figures as the audit's prefixes, and never more than them in any export.
    Map<String, Long> inAudit = new TreeMap<>();
    for (Map<String, Object> prefix : array(audit, "prefixes")) {
      if ((long) prefix.get("writes") > 0) {
        inAudit.put((String) prefix.get("prefix"), (Long) prefix.get("writesWithoutTtl"));
      }
    }
    assertThat(inAudit).isEqualTo(expected);
    for (ReceivedMetric export : otlp.receivedMetrics("cachelens.writes.without_ttl")) {
      export
          .longSumBy("cachelens.key.prefix")
          .forEach(
              (prefix, value) ->
                  assertThat(value).as(prefix).isLessThanOrEqualTo(expected.get(prefix)));
    }
  }

  private static void assertConnectionsOpened(OtlpReceiver otlp, Map<String, Object> audit) {
    long opens = FindingEventsTraffic.CHURN + 1;
    Map<String, Object> connections = object(audit, "connections");
    assertThat(connections.get("opened")).isEqualTo(opens);
    ReceivedMetric opened =
        otlp.awaitMetric(
            "cachelens.connections.opened", metric -> metric.totalValue() == opens, WAIT);
    assertThat(opened.isMonotonicSum()).isTrue();
    assertThat(opened.unit()).isEqualTo("{connection}");

    // By call site exactly as the audit's sampled call sites, the rest under <unsampled>.
    Map<String, Long> expected = new TreeMap<>();
    long sampled = (long) connections.get("callSitesSampled");
    long withSite = 0;
    for (Map<String, Object> site : array(connections, "callSites")) {
      expected.put((String) site.get("site"), (Long) site.get("count"));
      withSite += (Long) site.get("count");
    }
    if (sampled > withSite) {
      expected.put("<no service frame>", sampled - withSite);
    }
    if (opens > sampled) {
      expected.put("<unsampled>", opens - sampled);
    }
    Map<String, Long> bySite = opened.longSumBy("cachelens.call_site");
    assertThat(bySite).isEqualTo(expected);
    assertThat(bySite.get(siteIn(bySite.keySet(), "openShared"))).isEqualTo(1L);
    assertThat(
            bySite.get(siteIn(bySite.keySet(), "openPerRequest"))
                + bySite.getOrDefault("<unsampled>", 0L))
        .isEqualTo(FindingEventsTraffic.CHURN);
  }

  private AgentJvm.Builder service(OtlpReceiver otlp) {
    List<Path> classpath = new ArrayList<>();
    classpath.add(Classpaths.testClasses());
    classpath.addAll(Classpaths.clientLibrary("jedis-5.2.0"));
    return AgentJvm.builder()
        .mainClass(FindingEventsTraffic.class.getName())
        .classpath(classpath)
        .args(redis.host(), Integer.toString(redis.port()))
        .systemProperty("cachelens.report.dir", reports.toString())
        .systemProperty("cachelens.report.interval", REPORT_INTERVAL_MILLIS + "ms")
        .systemProperty(
            "cachelens.audit.no_ttl_writes.critical_writes",
            Integer.toString(FindingEventsTraffic.CRITICAL_WRITES))
        // Fixed severities whatever the machine's speed: churn stays a warning, a cold JVM's
        // pauses neither break the N+1 run nor make a command slow enough to be a finding.
        .systemProperty("cachelens.audit.connection_churn.critical_opens_per_minute", "1000000")
        .systemProperty("cachelens.audit.round_trip_storm.max_gap_micros", "1000000")
        // Both prefixes write within a second: let each have its sites, not only the first.
        .systemProperty("cachelens.audit.no_ttl_writes.captures_per_second", "1000")
        .systemProperty("cachelens.audit.slow_command.p99_millis", "60000")
        .systemProperty("cachelens.audit.slow_command.critical_p99_millis", "60000")
        .env("OTEL_SERVICE_NAME", SERVICE)
        .env(otlp.exporterEnvironment())
        .env("OTEL_METRIC_EXPORT_INTERVAL", "300")
        .env("OTEL_BLRP_SCHEDULE_DELAY", "100");
  }

  /** Waits until the audit file was rewritten for {@code windows} more report windows. */
  private void awaitReportWindows(int windows) throws Exception {
    Path file = reports.resolve(SERVICE + ".json");
    Set<String> seen = new HashSet<>();
    String first = windowEnd(file);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (seen.size() < windows) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + seen.size() + " report windows in " + WAIT);
      }
      Thread.sleep(REPORT_INTERVAL_MILLIS / 6);
      String end = windowEnd(file);
      if (end != null && !end.equals(first)) {
        seen.add(end);
      }
    }
  }

  private static String windowEnd(Path file) throws IOException {
    try {
      Matcher end = WINDOW_END.matcher(Files.readString(file));
      return end.find() ? end.group(1) : null;
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static boolean isFinding(ReceivedLog log) {
    return EVENT.equals(log.eventName());
  }

  private static List<ReceivedLog> findings(OtlpReceiver otlp) {
    return otlp.receivedLogs().stream()
        .filter(AuditTelemetryTest::isFinding)
        .collect(Collectors.toList());
  }

  /** Rule, prefix and severity, as {@code NO_TTL_WRITES product:cache:* warning}. */
  private static String identity(ReceivedLog event) {
    String prefix = event.attribute("cachelens.key.prefix");
    return event.attribute("cachelens.audit.rule")
        + " "
        + (prefix == null ? "" : prefix)
        + " "
        + event.attribute("cachelens.audit.severity");
  }

  private static ReceivedLog only(
      List<ReceivedLog> events, String rule, String prefix, String severity) {
    List<ReceivedLog> matching =
        events.stream()
            .filter(
                event ->
                    identity(event)
                        .equals(rule + " " + (prefix == null ? "" : prefix) + " " + severity))
            .collect(Collectors.toList());
    assertThat(matching).as(rule + " " + prefix + " " + severity).hasSize(1);
    return matching.get(0);
  }

  /** The frame format of call sites, for a method of the scenario. */
  private static String site(String method) {
    return Pattern.quote(
            FindingEventsTraffic.class.getName() + "." + method + "(FindingEventsTraffic.java:")
        + "\\d+\\)";
  }

  /** The one call site of {@code sites} in {@code method}. */
  private static String siteIn(Iterable<String> sites, String method) {
    List<String> matching = new ArrayList<>();
    for (String site : sites) {
      if (site.matches(site(method))) {
        matching.add(site);
      }
    }
    assertThat(matching).as("call sites in " + method + " among " + sites).hasSize(1);
    return matching.get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Map<String, Object> parent, String key) {
    return (Map<String, Object>) parent.get(key);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> array(Map<String, Object> parent, String key) {
    return (List<Map<String, Object>>) parent.get(key);
  }
}
