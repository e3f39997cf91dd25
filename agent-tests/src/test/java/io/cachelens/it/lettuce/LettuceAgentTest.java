package io.cachelens.it.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.it.lettuce.scenario.LettuceScenario;
import io.cachelens.it.lettuce.scenario.LettuceTracedRequests;
import io.cachelens.testing.jvm.AgentJvm;
import io.cachelens.testing.jvm.Classpaths;
import io.cachelens.testing.otlp.OtlpReceiver;
import io.cachelens.testing.otlp.ReceivedSpan;
import io.cachelens.testing.redis.RedisServerExtension;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Lettuce instrumentation end to end: each supported Lettuce release runs a scenario in a JVM
 * under the real agent jar with its own default client options (6.5+ enables command timeouts, so
 * the endpoint sits behind a CommandExpiryWriter), and the test checks the spans that reach an OTLP
 * receiver, the duration metric and the local summary JSON.
 */
class LettuceAgentTest {
  @RegisterExtension static RedisServerExtension redis = RedisServerExtension.withConfig();

  @TempDir Path reports;

  private OtlpReceiver otlp;

  @BeforeEach
  void start() {
    redis.client().command("FLUSHALL");
    otlp = OtlpReceiver.start();
  }

  @AfterEach
  void stop() {
    otlp.close();
  }

  private AgentJvm.Builder underAgent(String service, String mainClass, List<Path> classpath) {
    return AgentJvm.builder()
        .mainClass(mainClass)
        .classpath(classpath)
        .args(redis.host(), Integer.toString(redis.port()))
        .env(otlp.exporterEnvironment())
        .env("OTEL_SERVICE_NAME", service)
        .env("OTEL_METRIC_EXPORT_INTERVAL", "500")
        .env("OTEL_BSP_SCHEDULE_DELAY", "100")
        .systemProperty("cachelens.report.dir", reports.toString())
        .timeout(Duration.ofMinutes(2));
  }

  private static List<Path> classpath(String release, String... extraJarPrefixes) {
    List<Path> classpath = new ArrayList<>();
    classpath.add(Classpaths.testClasses());
    classpath.addAll(Classpaths.clientLibrary(release));
    if (extraJarPrefixes.length > 0) {
      classpath.addAll(Classpaths.fromCurrentClasspath(extraJarPrefixes));
    }
    return classpath;
  }

  private static Predicate<ReceivedSpan> of(String service) {
    return span -> service.equals(span.resourceAttribute("service.name"));
  }

  private static Map<String, Long> expectedCounts() {
    Map<String, Long> expected = new LinkedHashMap<>();
    for (String pair : LettuceScenario.EXPECTED.split(",")) {
      String[] nameCount = pair.split("=");
      expected.put(nameCount[0], Long.parseLong(nameCount[1]));
    }
    return expected;
  }

  private static List<ReceivedSpan> withQuery(List<ReceivedSpan> spans, String prefix) {
    return spans.stream()
        .filter(s -> String.valueOf(s.attribute("db.query.text")).startsWith(prefix))
        .collect(Collectors.toList());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"lettuce-6.1.10", "lettuce-6.5.5", "lettuce-6.8.2", "lettuce-7.7.0"})
  void everyServiceCommandBecomesASpanAndIsSummarized(String release) throws Exception {
    String service = "it-" + release.replace('.', '-');
    AgentJvm.Result result =
        underAgent(service, LettuceScenario.class.getName(), classpath(release))
            .systemProperty("cachelens.spans.root", "all")
            .run()
            .requireSuccess();
    assertThat(result.stdout()).contains(LettuceScenario.DONE);

    Map<String, Long> expected = expectedCounts();
    long total = expected.values().stream().mapToLong(Long::longValue).sum();
    List<ReceivedSpan> spans = otlp.awaitSpans(of(service), (int) total, Duration.ofSeconds(30));
    // The handshake (HELLO, CLIENT SETNAME/SETINFO) never reaches the endpoint: exactly the
    // service's commands.
    Map<String, Long> counts =
        spans.stream()
            .collect(
                Collectors.groupingBy(
                    ReceivedSpan::name, LinkedHashMap::new, Collectors.counting()));
    assertThat(counts).as(result.toString()).containsExactlyInAnyOrderEntriesOf(expected);

    int port = redis.port();
    for (ReceivedSpan span : spans) {
      assertThat(span.kind()).as(span.name()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(span.attribute("db.system.name")).isEqualTo("redis");
      assertThat(span.attribute("db.operation.name")).isEqualTo(span.name());
      assertThat(span.attribute("server.address")).isEqualTo(redis.host());
      assertThat(span.longAttribute("server.port")).isEqualTo(port);
      assertThat(span.attribute("network.peer.address")).isEqualTo("127.0.0.1");
      assertThat(span.longAttribute("network.peer.port")).isEqualTo(port);
      assertThat(span.attribute("db.query.text")).doesNotContain("secret-value", "token-");
      assertThat(span.durationNanos()).isPositive();
    }

    List<ReceivedSpan> productWrites = withQuery(spans, "SET product:cache:");
    assertThat(productWrites).hasSize(20);
    for (ReceivedSpan set : productWrites) {
      assertThat(set.attribute("db.namespace")).isEqualTo("0");
      assertThat(set.attribute("cachelens.key.prefix")).startsWith("product:cache");
      assertThat(set.attribute("cachelens.ttl")).isEqualTo("set");
      assertThat(set.hasAttribute("cachelens.batch.size")).isFalse();
      assertThat(set.isError()).isFalse();
    }
    assertThat(withQuery(spans, "SET session:"))
        .hasSize(10)
        .allSatisfy(s -> assertThat(s.attribute("cachelens.ttl")).isEqualTo("none"));
    assertThat(withQuery(spans, "SET reactive:")).hasSize(5);
    assertThat(withQuery(spans, "GET product:cache:"))
        .hasSize(50)
        .allSatisfy(s -> assertThat(s.hasAttribute("cachelens.ttl")).isFalse());

    assertThat(spans.stream().filter(ReceivedSpan::isError).map(ReceivedSpan::name))
        .containsExactly("LPUSH");

    assertThat(withQuery(spans, "INCR counter:hits"))
        .hasSize(5)
        .allSatisfy(s -> assertThat(s.longAttribute("cachelens.batch.size")).isEqualTo(5L));
    List<ReceivedSpan> transaction = new ArrayList<>();
    transaction.addAll(withQuery(spans, "SET order:"));
    transaction.addAll(withQuery(spans, "INCR order:"));
    transaction.addAll(spans.stream().filter(s -> s.name().equals("EXEC")).toList());
    assertThat(transaction)
        .hasSize(3)
        .allSatisfy(s -> assertThat(s.longAttribute("cachelens.batch.size")).isEqualTo(2L));
    // MULTI is answered before the transaction's size is known.
    assertThat(spans.stream().filter(s -> s.name().equals("MULTI")))
        .singleElement()
        .satisfies(s -> assertThat(s.hasAttribute("cachelens.batch.size")).isFalse());

    assertThat(withQuery(spans, "SET db2:"))
        .singleElement()
        .satisfies(s -> assertThat(s.attribute("db.namespace")).isEqualTo("2"));

    assertThat(otlp.awaitMetric("db.client.operation.duration", Duration.ofSeconds(30)))
        .isNotNull();

    Map<String, Object> summary = Json.readObject(reports.resolve(service + ".json"));
    assertThat(summary.get("schema")).isEqualTo("cachelens.audit/v1");
    assertThat(summary.get("service")).isEqualTo(service);
    Map<String, Object> totals = Json.object(summary, "totals");
    assertThat(Json.number(totals, "commands")).isEqualTo(total);
    assertThat(Json.number(totals, "errors")).isEqualTo(1);
    // Lettuce's handshake is written to the channel directly and not observed.
    assertThat(Json.number(totals, "internalCommands")).isZero();
    assertThat(Json.number(totals, "connectionsOpened")).isEqualTo(1);
    assertThat(Json.number(totals, "connectionsClosed")).isEqualTo(1);
    Map<String, Long> summarized = new LinkedHashMap<>();
    for (Map<String, Object> command : Json.array(summary, "commands")) {
      summarized.put((String) command.get("name"), Json.number(command, "count"));
      assertThat(Json.number(command, "errors"))
          .as(command.toString())
          .isEqualTo(command.get("name").equals("LPUSH") ? 1 : 0);
    }
    assertThat(summarized).containsExactlyInAnyOrderEntriesOf(expected);
    Map<String, Object> product =
        Json.array(summary, "prefixes").stream()
            .filter(p -> String.valueOf(p.get("prefix")).startsWith("product:cache"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no product:cache prefix in " + summary));
    assertThat(Json.number(product, "reads")).isEqualTo(50);
    assertThat(Json.number(product, "writes")).isEqualTo(20);
    assertThat(Json.number(product, "writesWithTtl")).isEqualTo(20);
    assertThat(Json.number(product, "writesWithoutTtl")).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"lettuce-6.1.10", "lettuce-6.5.5", "lettuce-6.8.2", "lettuce-7.7.0"})
  void commandsCompletedOnTheEventLoopJoinTheCallersTrace(String release) {
    String service = "it-traced-" + release.replace('.', '-');
    AgentJvm.Result result =
        underAgent(
                service,
                LettuceTracedRequests.class.getName(),
                classpath(
                    release,
                    "opentelemetry-api-1",
                    "opentelemetry-context-1",
                    "opentelemetry-sdk-1",
                    "opentelemetry-sdk-common-1",
                    "opentelemetry-sdk-trace-1",
                    "opentelemetry-sdk-metrics-1",
                    "opentelemetry-sdk-logs-1",
                    "opentelemetry-common-1"))
            .run()
            .requireSuccess();

    Matcher ids = Pattern.compile("request trace=(\\w+) span=(\\w+)").matcher(result.stdout());
    assertThat(ids.find()).as(result.toString()).isTrue();
    // Only the request's trace: a command of a cold JVM may also earn a slow root span of its own.
    List<ReceivedSpan> spans =
        otlp.awaitSpans(
            span -> of(service).test(span) && span.traceId().equals(ids.group(1)),
            3,
            Duration.ofSeconds(20));
    for (ReceivedSpan other : otlp.spans(span -> !span.traceId().equals(ids.group(1)))) {
      assertThat(other.isRoot()).as(other.toString()).isTrue();
      assertThat(other.durationNanos()).as(other.toString()).isGreaterThanOrEqualTo(10_000_000L);
    }
    assertThat(spans)
        .as(result.output() + "\n" + spans)
        .extracting(ReceivedSpan::name)
        .containsExactlyInAnyOrder("GET", "SET", "EXPIRE");
    for (ReceivedSpan span : spans) {
      assertThat(span.traceId()).as(span.toString()).isEqualTo(ids.group(1));
      assertThat(span.parentSpanId()).as(span.toString()).isEqualTo(ids.group(2));
      assertThat(span.attribute("cachelens.key.prefix")).isEqualTo("product:cache:*");
    }
  }
}
