package io.cachelens.testing.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OtlpReceiverTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final byte[] TRACE_ID = bytes(16, 0xab);
  private static final byte[] SPAN_ID = bytes(8, 0x01);
  private static final byte[] PARENT_ID = bytes(8, 0x0f);

  private OtlpReceiver receiver;

  @BeforeEach
  void start() {
    receiver = OtlpReceiver.start();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void decodesARealTraceExport() throws Exception {
    HttpResponse<byte[]> response = post("/v1/traces", traceRequest("GET").toByteArray(), false);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/x-protobuf");
    assertThat(ExportTraceServiceResponse.parseFrom(response.body()))
        .isEqualTo(ExportTraceServiceResponse.getDefaultInstance());
    assertThat(receiver.requestCount()).isEqualTo(1);

    assertThat(receiver.spans()).hasSize(1);
    ReceivedSpan span = receiver.spans().get(0);
    assertThat(span.name()).isEqualTo("GET");
    assertThat(span.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(span.traceId()).isEqualTo("abababababababababababababababab");
    assertThat(span.spanId()).isEqualTo("0101010101010101");
    assertThat(span.parentSpanId()).isEqualTo("0f0f0f0f0f0f0f0f");
    assertThat(span.isRoot()).isFalse();
    assertThat(span.attribute("db.system.name")).isEqualTo("redis");
    assertThat(span.attribute("server.port")).isEqualTo("6380");
    assertThat(span.longAttribute("server.port")).isEqualTo(6380L);
    assertThat(span.longAttribute("absent")).isNull();
    assertThat(span.attribute("absent")).isNull();
    assertThat(span.booleanAttribute("cachelens.hot_key")).isTrue();
    assertThat(span.attribute("cachelens.ratio")).isEqualTo("0.5");
    assertThat(span.attribute("db.keys")).isEqualTo("[a, b]");
    assertThatThrownBy(() -> span.longAttribute("db.system.name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an int");
    assertThat(span.attributes())
        .containsEntry("db.system.name", "redis")
        .containsKeys("server.port", "cachelens.hot_key", "cachelens.ratio", "db.keys");
    assertThat(span.resourceAttribute("service.name")).isEqualTo("checkout");
    assertThat(span.scopeName()).isEqualTo("io.cachelens");
    assertThat(span.isError()).isTrue();
    assertThat(span.statusMessage()).isEqualTo("boom");
    assertThat(span.hasEvent("exception")).isTrue();
    assertThat(span.startEpochNanos()).isEqualTo(1_000_000_000L);
    assertThat(span.endEpochNanos()).isEqualTo(1_250_000_000L);
    assertThat(span.durationNanos()).isEqualTo(250_000_000L);
    assertThat(span.toString()).contains("GET", "SPAN_KIND_CLIENT", "ERROR");
    assertThat(receiver.resourceSpans()).hasSize(1);
  }

  @Test
  void decodesGzippedExports() throws Exception {
    HttpResponse<byte[]> response = post("/v1/traces", traceRequest("SET").toByteArray(), true);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(receiver.spans()).extracting(ReceivedSpan::name).containsExactly("SET");
  }

  @Test
  void decodesMetricExports() throws Exception {
    Metric counter =
        Metric.newBuilder()
            .setName("cachelens.commands")
            .setUnit("{command}")
            .setSum(
                Sum.newBuilder()
                    .setIsMonotonic(true)
                    .setAggregationTemporality(
                        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                    .addDataPoints(point("GET", 3))
                    .addDataPoints(point("SET", 4)))
            .build();
    ExportMetricsServiceRequest request =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(resource())
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder().setScope(scope()).addMetrics(counter)))
            .build();

    assertThat(post("/v1/metrics", request.toByteArray(), true).statusCode()).isEqualTo(200);

    assertThat(receiver.metrics("cachelens.commands")).containsExactly(counter);
    assertThat(receiver.metrics("other")).isEmpty();
    assertThat(receiver.metricNames()).containsExactly("cachelens.commands");
    assertThat(receiver.resourceMetrics()).hasSize(1);
    ReceivedMetric metric = receiver.awaitMetric("cachelens.commands", Duration.ofSeconds(1));
    assertThat(metric.resourceAttribute("service.name")).isEqualTo("checkout");
    assertThat(metric.dataType()).isEqualTo(Metric.DataCase.SUM);
    assertThat(metric.numberDataPoints()).hasSize(2);
    assertThat(metric.totalValue()).isEqualTo(7.0);
    assertThat(OtlpAttributes.text(metric.numberDataPoints().get(1).getAttributesList(), "command"))
        .isEqualTo("SET");
    assertThat(metric.isMonotonicSum()).isTrue();
    assertThat(metric.longSumBy("command")).containsExactly(entry("GET", 3L), entry("SET", 4L));
    assertThatThrownBy(() -> metric.longSumBy("absent"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two points with absent=null");
    assertThatThrownBy(
            () ->
                receiver.awaitMetric(
                    "cachelens.commands", m -> m.totalValue() > 100, Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("cachelens.commands");
  }

  @Test
  void decodesLogExports() throws Exception {
    ExportLogsServiceRequest request =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .setResource(resource())
                    .addScopeLogs(
                        ScopeLogs.newBuilder()
                            .setScope(scope())
                            .addLogRecords(
                                LogRecord.newBuilder()
                                    .setEventName("cachelens.audit.finding")
                                    .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
                                    .setSeverityText("WARN")
                                    .setBody(string("hot key detected"))
                                    .addAttributes(attribute("key", string("user:1")))
                                    .addAttributes(
                                        attribute(
                                            "sites",
                                            AnyValue.newBuilder()
                                                .setArrayValue(
                                                    ArrayValue.newBuilder()
                                                        .addValues(string("a.B.c(B.java:1)"))
                                                        .addValues(string("d.E.f(E.java:2)")))
                                                .build()))
                                    .addAttributes(
                                        attribute(
                                            "count", AnyValue.newBuilder().setIntValue(42).build()))
                                    .addAttributes(
                                        attribute(
                                            "share",
                                            AnyValue.newBuilder().setDoubleValue(0.5).build())))))
            .build();

    assertThat(post("/v1/logs", request.toByteArray(), false).statusCode()).isEqualTo(200);

    assertThat(receiver.logs()).hasSize(1);
    ReceivedLog log = receiver.receivedLogs().get(0);
    assertThat(log.body()).isEqualTo("hot key detected");
    assertThat(log.severityText()).isEqualTo("WARN");
    assertThat(log.attribute("key")).isEqualTo("user:1");
    assertThat(log.eventName()).isEqualTo("cachelens.audit.finding");
    assertThat(log.severityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_WARN);
    assertThat(log.listAttribute("sites")).containsExactly("a.B.c(B.java:1)", "d.E.f(E.java:2)");
    assertThat(log.listAttribute("absent")).isNull();
    assertThat(log.longAttribute("count")).isEqualTo(42L);
    assertThat(log.doubleAttribute("share")).isEqualTo(0.5);
    assertThatThrownBy(() -> log.listAttribute("key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an array");
    assertThat(log.toString()).startsWith("Log[cachelens.audit.finding WARN hot key detected");
    assertThat(log.resourceAttribute("service.name")).isEqualTo("checkout");
    assertThat(receiver.awaitLogs(l -> l.body().contains("hot"), 1, Duration.ofSeconds(1)))
        .hasSize(1);
  }

  @Test
  void awaitSpansWaitsForLateExports() throws Exception {
    CompletableFuture<Integer> late =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                Thread.sleep(200);
                post("/v1/traces", traceRequest("GET").toByteArray(), false);
                return post("/v1/traces", traceRequest("MGET").toByteArray(), true).statusCode();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    List<ReceivedSpan> spans =
        receiver.awaitSpans(
            s -> s.name().startsWith("M") || s.name().equals("GET"), 2, Duration.ofSeconds(10));

    assertThat(spans).extracting(ReceivedSpan::name).containsExactly("GET", "MGET");
    assertThat(late.get()).isEqualTo(200);
  }

  @Test
  void awaitSpansTimesOutWithASummaryOfWhatArrived() throws Exception {
    post("/v1/traces", traceRequest("GET").toByteArray(), false);

    assertThatThrownBy(
            () -> receiver.awaitSpans(s -> s.name().equals("DEL"), 1, Duration.ofMillis(200)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected at least 1 matching spans")
        .hasMessageContaining("GET");
  }

  @Test
  void refusesWhatItCannotDecode() throws Exception {
    HttpResponse<byte[]> json =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(receiver.endpoint() + "/v1/traces"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> garbage = post("/v1/traces", new byte[] {(byte) 0xff, 0x01, 0x02}, false);
    HttpResponse<byte[]> unknownPath = post("/v1/profiles", new byte[0], false);
    HttpResponse<byte[]> get =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(receiver.tracesEndpoint())).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(json.statusCode()).isEqualTo(415);
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(unknownPath.statusCode()).isEqualTo(404);
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(receiver.rejectedRequests()).hasSize(4);
    assertThat(receiver.requestCount()).isZero();
  }

  @Test
  void clearForgetsEverything() throws Exception {
    post("/v1/traces", traceRequest("GET").toByteArray(), false);

    receiver.clear();

    assertThat(receiver.spans()).isEmpty();
    assertThat(receiver.resourceSpans()).isEmpty();
    assertThat(receiver.requestCount()).isZero();
  }

  @Test
  void endpointSuitsTheOtlpExporterVariables() {
    assertThat(receiver.endpoint()).isEqualTo("http://127.0.0.1:" + receiver.port());
    assertThat(receiver.tracesEndpoint()).isEqualTo(receiver.endpoint() + "/v1/traces");
    assertThat(receiver.exporterEnvironment())
        .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
        .containsEntry("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
  }

  private HttpResponse<byte[]> post(String path, byte[] body, boolean gzip)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(receiver.endpoint() + path))
            .header("Content-Type", "application/x-protobuf");
    if (gzip) {
      ByteArrayOutputStream compressed = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
        out.write(body);
      }
      body = compressed.toByteArray();
      request.header("Content-Encoding", "gzip");
    }
    return HTTP.send(
        request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static ExportTraceServiceRequest traceRequest(String spanName) {
    Span span =
        Span.newBuilder()
            .setName(spanName)
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .setTraceId(ByteString.copyFrom(TRACE_ID))
            .setSpanId(ByteString.copyFrom(SPAN_ID))
            .setParentSpanId(ByteString.copyFrom(PARENT_ID))
            .setStartTimeUnixNano(1_000_000_000L)
            .setEndTimeUnixNano(1_250_000_000L)
            .addAttributes(attribute("db.system.name", string("redis")))
            .addAttributes(
                attribute("server.port", AnyValue.newBuilder().setIntValue(6380).build()))
            .addAttributes(
                attribute("cachelens.hot_key", AnyValue.newBuilder().setBoolValue(true).build()))
            .addAttributes(
                attribute("cachelens.ratio", AnyValue.newBuilder().setDoubleValue(0.5).build()))
            .addAttributes(
                attribute(
                    "db.keys",
                    AnyValue.newBuilder()
                        .setArrayValue(
                            ArrayValue.newBuilder().addValues(string("a")).addValues(string("b")))
                        .build()))
            .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(1_100_000_000L))
            .setStatus(
                Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(resource())
                .addScopeSpans(ScopeSpans.newBuilder().setScope(scope()).addSpans(span)))
        .build();
  }

  private static NumberDataPoint point(String command, long value) {
    return NumberDataPoint.newBuilder()
        .setAsInt(value)
        .addAttributes(attribute("command", string(command)))
        .build();
  }

  private static Resource resource() {
    return Resource.newBuilder()
        .addAttributes(attribute("service.name", string("checkout")))
        .build();
  }

  private static InstrumentationScope scope() {
    return InstrumentationScope.newBuilder().setName("io.cachelens").setVersion("0.1.0").build();
  }

  private static KeyValue attribute(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static AnyValue string(String value) {
    return AnyValue.newBuilder().setStringValue(value).build();
  }

  private static byte[] bytes(int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
