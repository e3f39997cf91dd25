package io.cachelens.testing.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * An in-test OTLP/HTTP receiver: decodes real {@code http/protobuf} exports of traces, metrics and
 * logs sent to {@code /v1/traces}, {@code /v1/metrics} and {@code /v1/logs} (gzip or not) and keeps
 * them for assertions.
 *
 * <p>Point a forked JVM at it with {@code OTEL_EXPORTER_OTLP_ENDPOINT=}{@link #endpoint()} and
 * {@code OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf}. Use it with try-with-resources:
 *
 * <pre>{@code
 * try (OtlpReceiver otlp = OtlpReceiver.start()) {
 *   ... run something that exports to otlp.endpoint() ...
 *   List<ReceivedSpan> spans = otlp.awaitSpans(s -> s.name().equals("GET"), 1, Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * or let {@link OtlpReceiverExtension} manage it. All accessors return snapshots and are safe to
 * call while exports arrive. A request that cannot be decoded is answered with 400 and recorded in
 * {@link #rejectedRequests()}; a JSON request gets 415.
 */
public final class OtlpReceiver implements AutoCloseable {

  /** Path of trace exports. */
  public static final String TRACES_PATH = "/v1/traces";

  /** Path of metric exports. */
  public static final String METRICS_PATH = "/v1/metrics";

  /** Path of log exports. */
  public static final String LOGS_PATH = "/v1/logs";

  private static final String PROTOBUF = "application/x-protobuf";
  private static final int SUMMARY_LIMIT = 50;
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final HttpServer server;
  private final ExecutorService executor;
  private final Object lock = new Object();

  private final List<ReceivedSpan> spans = new ArrayList<>();
  private final List<ResourceSpans> resourceSpans = new ArrayList<>();
  private final List<ReceivedMetric> metrics = new ArrayList<>();
  private final List<ResourceMetrics> resourceMetrics = new ArrayList<>();
  private final List<ReceivedLog> logs = new ArrayList<>();
  private final List<ResourceLogs> resourceLogs = new ArrayList<>();
  private final List<String> rejected = new ArrayList<>();
  private int requestCount;

  private OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
    executor =
        Executors.newFixedThreadPool(
            4,
            task -> {
              Thread thread =
                  new Thread(task, "cachelens-otlp-receiver-" + THREADS.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a receiver on a free loopback port. */
  public static OtlpReceiver start() {
    try {
      return new OtlpReceiver();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the OTLP receiver", e);
    }
  }

  /**
   * The base endpoint, {@code http://127.0.0.1:<port>}, for {@code OTEL_EXPORTER_OTLP_ENDPOINT}.
   */
  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  /** The full traces URL, for {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}. */
  public String tracesEndpoint() {
    return endpoint() + TRACES_PATH;
  }

  /** The full metrics URL, for {@code OTEL_EXPORTER_OTLP_METRICS_ENDPOINT}. */
  public String metricsEndpoint() {
    return endpoint() + METRICS_PATH;
  }

  /** The full logs URL, for {@code OTEL_EXPORTER_OTLP_LOGS_ENDPOINT}. */
  public String logsEndpoint() {
    return endpoint() + LOGS_PATH;
  }

  /**
   * Environment variables that point an OpenTelemetry SDK at this receiver over {@code
   * http/protobuf}: endpoint and protocol only.
   */
  public Map<String, String> exporterEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint());
    env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    return env;
  }

  /** The port the receiver listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** All spans received so far, in arrival order. */
  public List<ReceivedSpan> spans() {
    synchronized (lock) {
      return List.copyOf(spans);
    }
  }

  /** The spans received so far that match the filter. */
  public List<ReceivedSpan> spans(Predicate<? super ReceivedSpan> filter) {
    return spans().stream().filter(filter).collect(Collectors.toUnmodifiableList());
  }

  /** The resource spans of every trace export so far, as decoded. */
  public List<ResourceSpans> resourceSpans() {
    synchronized (lock) {
      return List.copyOf(resourceSpans);
    }
  }

  /** The resource metrics of every metric export so far, as decoded. */
  public List<ResourceMetrics> resourceMetrics() {
    synchronized (lock) {
      return List.copyOf(resourceMetrics);
    }
  }

  /** Every metric received so far, flattened, with resource and scope, in arrival order. */
  public List<ReceivedMetric> receivedMetrics() {
    synchronized (lock) {
      return List.copyOf(metrics);
    }
  }

  /**
   * The received metrics with this name, in arrival order. Periodic exports send a metric again
   * each interval, so the last one holds the latest (for cumulative temporality, the total) value.
   */
  public List<ReceivedMetric> receivedMetrics(String name) {
    return receivedMetrics().stream()
        .filter(m -> m.name().equals(name))
        .collect(Collectors.toUnmodifiableList());
  }

  /** The decoded metrics with this name, in arrival order; see {@link #receivedMetrics(String)}. */
  public List<Metric> metrics(String name) {
    return receivedMetrics(name).stream()
        .map(ReceivedMetric::metric)
        .collect(Collectors.toUnmodifiableList());
  }

  /** The names of all metrics received so far. */
  public Set<String> metricNames() {
    return receivedMetrics().stream()
        .map(ReceivedMetric::name)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** Every log record received so far, in arrival order. */
  public List<LogRecord> logs() {
    return receivedLogs().stream()
        .map(ReceivedLog::record)
        .collect(Collectors.toUnmodifiableList());
  }

  /** Every log record received so far, with resource and scope. */
  public List<ReceivedLog> receivedLogs() {
    synchronized (lock) {
      return List.copyOf(logs);
    }
  }

  /** The resource logs of every log export so far, as decoded. */
  public List<ResourceLogs> resourceLogs() {
    synchronized (lock) {
      return List.copyOf(resourceLogs);
    }
  }

  /** How many export requests were accepted (all signals). */
  public int requestCount() {
    synchronized (lock) {
      return requestCount;
    }
  }

  /** Descriptions of requests that were refused (wrong path, method, content type, bad body). */
  public List<String> rejectedRequests() {
    synchronized (lock) {
      return List.copyOf(rejected);
    }
  }

  /**
   * Waits until at least {@code atLeast} received spans match the filter and returns all matching
   * spans.
   *
   * @throws AssertionError on timeout, listing what was received
   */
  public List<ReceivedSpan> awaitSpans(
      Predicate<? super ReceivedSpan> filter, int atLeast, Duration timeout) {
    return awaitMatching(spans, filter, atLeast, timeout, "spans");
  }

  /**
   * Waits until at least {@code atLeast} received log records match the filter and returns all of
   * them.
   *
   * @throws AssertionError on timeout, listing what was received
   */
  public List<ReceivedLog> awaitLogs(
      Predicate<? super ReceivedLog> filter, int atLeast, Duration timeout) {
    return awaitMatching(logs, filter, atLeast, timeout, "log records");
  }

  /**
   * Waits until a metric with this name arrives and returns the latest one received.
   *
   * @throws AssertionError on timeout, listing the metric names received
   */
  public ReceivedMetric awaitMetric(String name, Duration timeout) {
    return awaitMetric(name, metric -> true, timeout);
  }

  /**
   * Waits until a metric with this name that satisfies {@code condition} arrives (for example a
   * counter reaching a value) and returns the latest such metric.
   *
   * @throws AssertionError on timeout, listing the metric names received
   */
  public ReceivedMetric awaitMetric(
      String name, Predicate<? super ReceivedMetric> condition, Duration timeout) {
    List<ReceivedMetric> matching =
        awaitMatching(
            metrics, m -> m.name().equals(name) && condition.test(m), 1, timeout, "metrics");
    return matching.get(matching.size() - 1);
  }

  /** Forgets everything received so far. */
  public void clear() {
    synchronized (lock) {
      spans.clear();
      resourceSpans.clear();
      metrics.clear();
      resourceMetrics.clear();
      logs.clear();
      resourceLogs.clear();
      rejected.clear();
      requestCount = 0;
    }
  }

  /** A short description of everything received, for failure messages. */
  public String summary() {
    synchronized (lock) {
      StringBuilder text = new StringBuilder();
      text.append("OTLP receiver at ")
          .append(endpoint())
          .append(": ")
          .append(requestCount)
          .append(" requests, ")
          .append(spans.size())
          .append(" spans, ")
          .append(metrics.size())
          .append(" metrics, ")
          .append(logs.size())
          .append(" log records\n");
      appendLimited(text, "spans", spans);
      text.append("metric names: ")
          .append(
              metrics.stream().map(ReceivedMetric::name).distinct().collect(Collectors.toList()))
          .append('\n');
      appendLimited(text, "logs", logs);
      if (!rejected.isEmpty()) {
        text.append("rejected requests: ").append(rejected).append('\n');
      }
      return text.toString();
    }
  }

  /** Stops the HTTP server. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "OtlpReceiver[" + endpoint() + "]";
  }

  private <T> List<T> awaitMatching(
      List<T> source, Predicate<? super T> filter, int atLeast, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (true) {
        List<T> matching = source.stream().filter(filter).collect(Collectors.toUnmodifiableList());
        if (matching.size() >= atLeast) {
          return matching;
        }
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
          throw new AssertionError(
              "expected at least "
                  + atLeast
                  + " matching "
                  + what
                  + " within "
                  + timeout
                  + " but found "
                  + matching.size()
                  + "\n"
                  + summary());
        }
        try {
          lock.wait(remainingMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for " + what, e);
        }
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!path.equals(TRACES_PATH) && !path.equals(METRICS_PATH) && !path.equals(LOGS_PATH)) {
        reject(exchange, 404, "unknown path " + path);
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        exchange.getResponseHeaders().set("Allow", "POST");
        reject(exchange, 405, exchange.getRequestMethod() + " " + path);
        return;
      }
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(PROTOBUF)) {
        reject(
            exchange,
            415,
            "POST " + path + " with Content-Type " + contentType + " (only " + PROTOBUF + ")");
        return;
      }
      byte[] body;
      try {
        body = readBody(exchange);
      } catch (IOException e) {
        reject(exchange, 400, "POST " + path + " body unreadable: " + e);
        return;
      }
      byte[] response;
      try {
        response = accept(path, body);
      } catch (InvalidProtocolBufferException e) {
        reject(exchange, 400, "POST " + path + " is not a valid export request: " + e.getMessage());
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
      if (response.length == 0) {
        exchange.sendResponseHeaders(200, -1);
      } else {
        exchange.sendResponseHeaders(200, response.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response);
        }
      }
    }
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    byte[] raw;
    try (InputStream in = exchange.getRequestBody()) {
      raw = in.readAllBytes();
    }
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
      return raw;
    }
    if (encoding.equalsIgnoreCase("gzip")) {
      try (InputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        return gunzip.readAllBytes();
      }
    }
    throw new IOException("unsupported Content-Encoding " + encoding);
  }

  private byte[] accept(String path, byte[] body) throws InvalidProtocolBufferException {
    switch (path) {
      case TRACES_PATH:
        addTraces(ExportTraceServiceRequest.parseFrom(body));
        return ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      case METRICS_PATH:
        addMetrics(ExportMetricsServiceRequest.parseFrom(body));
        return ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
      default:
        addLogs(ExportLogsServiceRequest.parseFrom(body));
        return ExportLogsServiceResponse.getDefaultInstance().toByteArray();
    }
  }

  private void addTraces(ExportTraceServiceRequest request) {
    synchronized (lock) {
      requestCount++;
      for (ResourceSpans rs : request.getResourceSpansList()) {
        resourceSpans.add(rs);
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            spans.add(new ReceivedSpan(rs.getResource(), ss.getScope(), span));
          }
        }
      }
      lock.notifyAll();
    }
  }

  private void addMetrics(ExportMetricsServiceRequest request) {
    synchronized (lock) {
      requestCount++;
      for (ResourceMetrics rm : request.getResourceMetricsList()) {
        resourceMetrics.add(rm);
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric metric : sm.getMetricsList()) {
            metrics.add(new ReceivedMetric(rm.getResource(), sm.getScope(), metric));
          }
        }
      }
      lock.notifyAll();
    }
  }

  private void addLogs(ExportLogsServiceRequest request) {
    synchronized (lock) {
      requestCount++;
      for (ResourceLogs rl : request.getResourceLogsList()) {
        resourceLogs.add(rl);
        for (ScopeLogs sl : rl.getScopeLogsList()) {
          for (LogRecord record : sl.getLogRecordsList()) {
            logs.add(new ReceivedLog(rl.getResource(), sl.getScope(), record));
          }
        }
      }
      lock.notifyAll();
    }
  }

  private void reject(HttpExchange exchange, int status, String description) throws IOException {
    synchronized (lock) {
      rejected.add(status + " " + description);
      lock.notifyAll();
    }
    byte[] message = description.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, message.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(message);
    }
  }

  private static void appendLimited(StringBuilder text, String label, List<?> items) {
    if (items.isEmpty()) {
      return;
    }
    text.append(label).append(":\n");
    items.stream()
        .limit(SUMMARY_LIMIT)
        .forEach(item -> text.append("  ").append(item).append('\n'));
    if (items.size() > SUMMARY_LIMIT) {
      text.append("  ... and ").append(items.size() - SUMMARY_LIMIT).append(" more\n");
    }
  }
}
