package io.cachelens.it.jedis;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.it.jedis.scenario.IsolatedJedisScenario;
import io.cachelens.it.jedis.scenario.JedisScenario;
import io.cachelens.testing.jvm.AgentJvm;
import io.cachelens.testing.jvm.Classpaths;
import io.cachelens.testing.otlp.OtlpReceiver;
import io.cachelens.testing.otlp.ReceivedSpan;
import io.cachelens.testing.redis.RedisServerExtension;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Jedis instrumentation end to end: each supported Jedis release runs a scenario in a JVM under
 * the real agent jar, and the test checks the spans that reach an OTLP receiver and the local
 * summary JSON.
 */
class JedisAgentTest {
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
        .env(otlp.exporterEnvironment())
        .env("OTEL_SERVICE_NAME", service)
        .env("OTEL_METRIC_EXPORT_INTERVAL", "500")
        .env("OTEL_BSP_SCHEDULE_DELAY", "100")
        .systemProperty("cachelens.spans.root", "all")
        .systemProperty("cachelens.report.dir", reports.toString())
        .timeout(Duration.ofMinutes(2));
  }

  private static Predicate<ReceivedSpan> of(String service) {
    return span -> service.equals(span.resourceAttribute("service.name"));
  }

  private static Map<String, Long> countByName(List<ReceivedSpan> spans) {
    return spans.stream()
        .collect(
            Collectors.groupingBy(ReceivedSpan::name, LinkedHashMap::new, Collectors.counting()));
  }

  private static Map<String, Long> expectedCounts() {
    Map<String, Long> expected = new LinkedHashMap<>();
    for (String pair : JedisScenario.EXPECTED.split(",")) {
      String[] nameCount = pair.split("=");
      expected.put(nameCount[0], Long.parseLong(nameCount[1]));
    }
    return expected;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jedis-5.2.0", "jedis-6.2.0", "jedis-7.5.3", "jedis-8.0.2"})
  void everyServiceCommandBecomesASpanAndIsSummarized(String release) throws Exception {
    String service = "it-" + release.replace('.', '-');
    List<Path> classpath = new ArrayList<>();
    classpath.add(Classpaths.testClasses());
    classpath.addAll(Classpaths.clientLibrary(release));
    AgentJvm.Result result =
        underAgent(service, JedisScenario.class.getName(), classpath)
            .args(redis.host(), Integer.toString(redis.port()))
            .run()
            .requireSuccess();
    assertThat(result.stdout()).contains(JedisScenario.DONE);

    Map<String, Long> expected = expectedCounts();
    long total = expected.values().stream().mapToLong(Long::longValue).sum();
    List<ReceivedSpan> spans = otlp.awaitSpans(of(service), (int) total, Duration.ofSeconds(30));
    // internal commands (handshake, validation PINGs) make no spans: exactly the service's commands
    assertThat(countByName(spans)).containsExactlyInAnyOrderEntriesOf(expected);

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

    List<ReceivedSpan> productWrites =
        spans.stream()
            .filter(s -> s.name().equals("SET"))
            .filter(
                s -> String.valueOf(s.attribute("db.query.text")).startsWith("SET product:cache:"))
            .toList();
    assertThat(productWrites).hasSize(20);
    for (ReceivedSpan set : productWrites) {
      assertThat(set.attribute("db.namespace")).isEqualTo("0");
      assertThat(set.attribute("cachelens.key.prefix")).startsWith("product:cache");
      assertThat(set.attribute("cachelens.ttl")).isEqualTo("set");
      assertThat(set.hasAttribute("cachelens.batch.size")).isFalse();
      assertThat(set.isError()).isFalse();
    }
    List<ReceivedSpan> sessionWrites =
        spans.stream()
            .filter(s -> String.valueOf(s.attribute("db.query.text")).startsWith("SET session:"))
            .toList();
    assertThat(sessionWrites)
        .hasSize(10)
        .allSatisfy(s -> assertThat(s.attribute("cachelens.ttl")).isEqualTo("none"));
    List<ReceivedSpan> reads =
        spans.stream()
            .filter(
                s -> String.valueOf(s.attribute("db.query.text")).startsWith("GET product:cache:"))
            .toList();
    assertThat(reads)
        .hasSize(20)
        .allSatisfy(s -> assertThat(s.hasAttribute("cachelens.ttl")).isFalse());

    List<ReceivedSpan> errors = spans.stream().filter(ReceivedSpan::isError).toList();
    assertThat(errors).extracting(ReceivedSpan::name).containsExactly("LPUSH");

    List<ReceivedSpan> pipelined =
        spans.stream()
            .filter(
                s -> String.valueOf(s.attribute("db.query.text")).startsWith("INCR counter:hits"))
            .toList();
    assertThat(pipelined)
        .hasSize(5)
        .allSatisfy(s -> assertThat(s.longAttribute("cachelens.batch.size")).isEqualTo(5L));
    List<ReceivedSpan> transaction =
        spans.stream()
            .filter(
                s ->
                    List.of("MULTI", "EXEC").contains(s.name())
                        || String.valueOf(s.attribute("db.query.text")).startsWith("SET order:")
                        || String.valueOf(s.attribute("db.query.text")).startsWith("INCR order:"))
            .toList();
    assertThat(transaction)
        .hasSize(4)
        .allSatisfy(s -> assertThat(s.longAttribute("cachelens.batch.size")).isEqualTo(2L));

    List<ReceivedSpan> afterSelect =
        spans.stream()
            .filter(s -> String.valueOf(s.attribute("db.query.text")).startsWith("SET db2:"))
            .toList();
    assertThat(afterSelect).hasSize(1);
    assertThat(afterSelect.get(0).attribute("db.namespace")).isEqualTo("2");

    Path file = reports.resolve(service + ".json");
    assertThat(file).exists();
    Map<String, Object> summary = SummaryJson.read(file);
    assertThat(summary.get("schema")).isEqualTo("cachelens.audit/v1");
    assertThat(summary.get("service")).isEqualTo(service);
    Map<String, Object> totals = SummaryJson.object(summary, "totals");
    assertThat(SummaryJson.number(totals, "commands")).isEqualTo(total);
    assertThat(SummaryJson.number(totals, "errors")).isEqualTo(1);
    // at least the 51 testOnBorrow PINGs; the handshake differs between releases
    assertThat(SummaryJson.number(totals, "internalCommands")).isGreaterThanOrEqualTo(51);
    assertThat(SummaryJson.number(totals, "connectionsOpened")).isEqualTo(3);
    assertThat(SummaryJson.number(totals, "connectionsClosed")).isEqualTo(3);
    Map<String, Long> summarized = new LinkedHashMap<>();
    for (Map<String, Object> command : SummaryJson.objects(summary, "commands")) {
      summarized.put((String) command.get("name"), SummaryJson.number(command, "count"));
      long errorCount = SummaryJson.number(command, "errors");
      assertThat(errorCount)
          .as(command.toString())
          .isEqualTo(command.get("name").equals("LPUSH") ? 1 : 0);
    }
    assertThat(summarized).containsExactlyInAnyOrderEntriesOf(expected);
    Map<String, Object> product =
        SummaryJson.objects(summary, "prefixes").stream()
            .filter(p -> String.valueOf(p.get("prefix")).startsWith("product:cache"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no product:cache prefix in " + summary));
    assertThat(SummaryJson.number(product, "reads")).isEqualTo(20);
    assertThat(SummaryJson.number(product, "writes")).isEqualTo(20);
    assertThat(SummaryJson.number(product, "writesWithTtl")).isEqualTo(20);
    assertThat(SummaryJson.number(product, "writesWithoutTtl")).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jedis-5.2.0", "jedis-8.0.2"})
  void jedisInAChildClassLoaderIsInstrumented(String release) throws Exception {
    String service = "it-isolated-" + release.replace('.', '-');
    String jars =
        Classpaths.clientLibrary(release).stream()
            .map(Path::toString)
            .collect(Collectors.joining(File.pathSeparator));
    AgentJvm.Result result =
        underAgent(
                service, IsolatedJedisScenario.class.getName(), List.of(Classpaths.testClasses()))
            .args(redis.host(), Integer.toString(redis.port()), jars)
            .run()
            .requireSuccess();
    assertThat(result.stdout())
        .contains(
            "system class loader cannot see Jedis",
            "Jedis loaded by service",
            IsolatedJedisScenario.DONE);

    List<ReceivedSpan> spans = otlp.awaitSpans(of(service), 13, Duration.ofSeconds(30));
    assertThat(countByName(spans))
        .containsExactlyInAnyOrderEntriesOf(Map.of("SET", 5L, "GET", 5L, "INCR", 3L));
    assertThat(spans)
        .filteredOn(s -> s.name().equals("INCR"))
        .allSatisfy(s -> assertThat(s.longAttribute("cachelens.batch.size")).isEqualTo(3L));
    assertThat(spans)
        .allSatisfy(s -> assertThat(s.longAttribute("server.port")).isEqualTo(redis.port()));

    Map<String, Object> totals =
        SummaryJson.object(SummaryJson.read(reports.resolve(service + ".json")), "totals");
    assertThat(SummaryJson.number(totals, "commands")).isEqualTo(13);
    assertThat(SummaryJson.number(totals, "connectionsOpened")).isEqualTo(1);
    assertThat(SummaryJson.number(totals, "connectionsClosed")).isEqualTo(1);
  }
}
