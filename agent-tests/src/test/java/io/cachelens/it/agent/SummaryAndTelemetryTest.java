package io.cachelens.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.it.agent.scenario.CatalogTraffic;
import io.cachelens.it.agent.scenario.TracedRequests;
import io.cachelens.testing.jvm.AgentJvm;
import io.cachelens.testing.jvm.Classpaths;
import io.cachelens.testing.otlp.OtlpReceiver;
import io.cachelens.testing.otlp.ReceivedMetric;
import io.cachelens.testing.otlp.ReceivedSpan;
import io.cachelens.testing.redis.RedisServerExtension;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the agent writes locally and exports, end to end, for a Jedis service. */
class SummaryAndTelemetryTest {
  @RegisterExtension static RedisServerExtension redis = RedisServerExtension.withConfig();

  @TempDir Path reports;

  @Test
  void withoutAnExporterNothingLeavesTheProcessAndTheSummaryHasExactCounts() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      AgentJvm.Result result =
          service(CatalogTraffic.class, "plain")
              .env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
              .run()
              .requireSuccess();

      Path summaryFile = reports.resolve("catalog.json");
      assertThat(summaryFile).exists();
      String json = Files.readString(summaryFile);
      assertThat(json)
          .contains("\"schema\": \"cachelens.audit/v1\"")
          .contains("\"service\": \"catalog\"");
      Map<String, Long> totals = numbers(section(json, "\"totals\""));
      long expected =
          CatalogTraffic.PRODUCT_WRITES
              + CatalogTraffic.SESSION_WRITES
              + CatalogTraffic.PRODUCT_READS;
      assertThat(totals).containsEntry("commands", expected).containsEntry("errors", 0L);
      assertThat(totals)
          .containsEntry("connectionsOpened", 1L)
          .containsEntry("connectionsClosed", 1L);

      Map<String, Long> product = numbers(prefixEntry(json, "product:cache:*"));
      assertThat(product)
          .containsEntry("writes", (long) CatalogTraffic.PRODUCT_WRITES)
          .containsEntry("writesWithoutTtl", (long) CatalogTraffic.PRODUCT_WRITES)
          .containsEntry("writesWithTtl", 0L)
          .containsEntry("reads", (long) CatalogTraffic.PRODUCT_READS);
      Map<String, Long> sessions = numbers(prefixEntry(json, "session:user:*"));
      assertThat(sessions)
          .containsEntry("writes", (long) CatalogTraffic.SESSION_WRITES)
          .containsEntry("writesWithTtl", (long) CatalogTraffic.SESSION_WRITES)
          .containsEntry("writesWithoutTtl", 0L);

      assertThat(result.stderr())
          .contains("[cachelens] audit written to " + summaryFile.toAbsolutePath())
          .contains(expected + " commands");
      Thread.sleep(300);
      assertThat(receiver.requestCount()).as("requests reaching the receiver").isZero();
    }
  }

  @Test
  void slowAndFailedCommandsBecomeRootSpansWithTheirCodeLocationAndMetricsCountEverything() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      service(CatalogTraffic.class, "slow")
          .env(receiver.exporterEnvironment())
          .env("OTEL_METRIC_EXPORT_INTERVAL", "500")
          .env("OTEL_BSP_SCHEDULE_DELAY", "100")
          .run()
          .requireSuccess();

      receiver.awaitSpans(span -> span.name().equals("INCR"), 1, Duration.ofSeconds(10));
      // A cold JVM makes its first few commands slow too; every root span must have earned its
      // place.
      List<ReceivedSpan> spans = receiver.spans();
      for (ReceivedSpan span : spans) {
        assertThat(span.isRoot()).isTrue();
        assertThat(span.durationNanos() >= 10_000_000L || span.isError())
            .as(span.toString())
            .isTrue();
      }
      assertThat(spans).filteredOn(span -> span.name().equals("BLPOP")).hasSize(1);
      assertThat(spans).filteredOn(span -> span.name().equals("INCR")).hasSize(1);
      assertThat(spans).filteredOn(span -> span.name().equals("GET")).hasSizeLessThan(5);
      ReceivedSpan blpop = spans.stream().filter(s -> s.name().equals("BLPOP")).findFirst().get();
      assertThat(blpop.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(blpop.isRoot()).isTrue();
      assertThat(blpop.durationNanos()).isGreaterThanOrEqualTo(100_000_000L);
      assertThat(blpop.attribute("db.system.name")).isEqualTo("redis");
      assertThat(blpop.attribute("db.operation.name")).isEqualTo("BLPOP");
      assertThat(blpop.attribute("server.address")).isEqualTo(redis.host());
      assertThat(blpop.longAttribute("server.port")).isEqualTo(redis.port());
      assertThat(blpop.attribute("network.peer.address")).isEqualTo("127.0.0.1");
      assertThat(blpop.attribute("db.namespace")).isEqualTo("0");
      assertThat(blpop.attribute("code.function.name"))
          .isEqualTo(CatalogTraffic.class.getName() + ".slowAndFailing");
      assertThat(blpop.attribute("code.file.path")).isEqualTo("CatalogTraffic.java");
      assertThat(blpop.longAttribute("code.line.number")).isPositive();
      assertThat(blpop.resourceAttribute("service.name")).isEqualTo("catalog");

      ReceivedSpan incr = spans.stream().filter(s -> s.name().equals("INCR")).findFirst().get();
      assertThat(incr.isError()).isTrue();
      assertThat(incr.attribute("error.type"))
          .isEqualTo("redis.clients.jedis.exceptions.JedisDataException");
      assertThat(incr.attribute("db.query.text")).isEqualTo("INCR product:cache:*");
      assertThat(incr.attribute("cachelens.key.prefix")).isEqualTo("product:cache:*");

      long expected =
          CatalogTraffic.PRODUCT_WRITES
              + CatalogTraffic.SESSION_WRITES
              + CatalogTraffic.PRODUCT_READS
              + 2;
      ReceivedMetric duration =
          receiver.awaitMetric(
              "db.client.operation.duration",
              metric -> histogramTotal(metric) == expected,
              Duration.ofSeconds(10));
      assertThat(duration.unit()).isEqualTo("s");
      HistogramDataPoint sets = point(duration, "SET", "product:cache:*", null);
      assertThat(sets.getCount()).isEqualTo(CatalogTraffic.PRODUCT_WRITES);
      assertThat(point(duration, "INCR", "product:cache:*", JEDIS_DATA_EXCEPTION).getCount())
          .isEqualTo(1);
    }
  }

  @Test
  void commandsInsideTheServicesTraceJoinIt() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      List<Path> classpath = new ArrayList<>();
      classpath.add(Classpaths.testClasses());
      classpath.addAll(Classpaths.clientLibrary("jedis-5.2.0"));
      classpath.addAll(
          Classpaths.fromCurrentClasspath(
              "opentelemetry-api-1",
              "opentelemetry-context-1",
              "opentelemetry-sdk-1",
              "opentelemetry-sdk-common-1",
              "opentelemetry-sdk-trace-1",
              "opentelemetry-sdk-metrics-1",
              "opentelemetry-sdk-logs-1",
              "opentelemetry-common-1"));
      AgentJvm.Result result =
          AgentJvm.builder()
              .mainClass(TracedRequests.class.getName())
              .classpath(classpath)
              .args(redis.host(), Integer.toString(redis.port()))
              .systemProperty("cachelens.report.dir", reports.toString())
              // The commands outside the request must make no span: none may count as slow, even
              // when a GC pause on a loaded machine stretches one past the default 10 ms.
              .systemProperty("cachelens.spans.slow", "30s")
              .env("OTEL_SERVICE_NAME", "catalog")
              .env(receiver.exporterEnvironment())
              .env("OTEL_BSP_SCHEDULE_DELAY", "100")
              .run()
              .requireSuccess();

      Matcher ids = Pattern.compile("request trace=(\\w+) span=(\\w+)").matcher(result.stdout());
      assertThat(ids.find()).as(result.toString()).isTrue();
      List<ReceivedSpan> spans = receiver.awaitSpans(span -> true, 3, Duration.ofSeconds(10));
      assertThat(spans)
          .extracting(ReceivedSpan::name)
          .containsExactlyInAnyOrder("GET", "SET", "EXPIRE");
      for (ReceivedSpan span : spans) {
        assertThat(span.traceId()).isEqualTo(ids.group(1));
        assertThat(span.parentSpanId()).isEqualTo(ids.group(2));
        assertThat(span.attribute("cachelens.key.prefix")).isEqualTo("product:cache:*");
      }
      ReceivedSpan set = spans.stream().filter(s -> s.name().equals("SET")).findFirst().get();
      assertThat(set.attribute("cachelens.ttl")).isEqualTo("none");
      assertThat(set.attribute("db.query.text")).isEqualTo("SET product:cache:* ?");
      ReceivedSpan get = spans.stream().filter(s -> s.name().equals("GET")).findFirst().get();
      assertThat(get.hasAttribute("cachelens.ttl")).isFalse();
    }
  }

  private static final String JEDIS_DATA_EXCEPTION =
      "redis.clients.jedis.exceptions.JedisDataException";

  private AgentJvm.Builder service(Class<?> main, String mode) {
    List<Path> classpath = new ArrayList<>();
    classpath.add(Classpaths.testClasses());
    classpath.addAll(Classpaths.clientLibrary("jedis-5.2.0"));
    return AgentJvm.builder()
        .mainClass(main.getName())
        .classpath(classpath)
        .args(redis.host(), Integer.toString(redis.port()), mode)
        .systemProperty("cachelens.report.dir", reports.toString())
        .systemProperty("otel.service.name", "catalog");
  }

  private static long histogramTotal(ReceivedMetric metric) {
    long total = 0;
    for (HistogramDataPoint point : metric.histogramDataPoints()) {
      total += point.getCount();
    }
    return total;
  }

  private static HistogramDataPoint point(
      ReceivedMetric metric, String operation, String prefix, String errorType) {
    for (HistogramDataPoint point : metric.histogramDataPoints()) {
      Map<String, String> attributes = attributes(point.getAttributesList());
      if (operation.equals(attributes.get("db.operation.name"))
          && prefix.equals(attributes.get("cachelens.key.prefix"))
          && java.util.Objects.equals(errorType, attributes.get("error.type"))) {
        return point;
      }
    }
    throw new AssertionError(
        "no point for " + operation + " " + prefix + " in " + metric.histogramDataPoints());
  }

  private static Map<String, String> attributes(List<KeyValue> list) {
    return io.cachelens.testing.otlp.OtlpAttributes.toMap(list);
  }

  /** The text of the JSON object or array that follows {@code key}. */
  static String section(String json, String key) {
    int start = json.indexOf(key);
    assertThat(start).as("%s in %s", key, json).isNotNegative();
    int open = start + key.length();
    while (json.charAt(open) != '{' && json.charAt(open) != '[') {
      open++;
    }
    int depth = 0;
    for (int i = open; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (depth == 0) {
          return json.substring(open, i + 1);
        }
      }
    }
    throw new AssertionError("unbalanced JSON after " + key);
  }

  /** The object of the prefixes list whose prefix is {@code prefix}. */
  static String prefixEntry(String json, String prefix) {
    String prefixes = section(json, "\"prefixes\"");
    int at = prefixes.indexOf("\"prefix\": \"" + prefix + "\"");
    assertThat(at).as("prefix %s in %s", prefix, prefixes).isNotNegative();
    int open = prefixes.lastIndexOf('{', at);
    int close = prefixes.indexOf('}', at);
    return prefixes.substring(open, close + 1);
  }

  /** Top-level numeric fields of a flat JSON object. */
  static Map<String, Long> numbers(String object) {
    Map<String, Long> numbers = new java.util.HashMap<>();
    Matcher matcher = Pattern.compile("\"(\\w+)\": (-?\\d+)").matcher(object);
    while (matcher.find()) {
      numbers.put(matcher.group(1), Long.parseLong(matcher.group(2)));
    }
    return numbers;
  }
}
