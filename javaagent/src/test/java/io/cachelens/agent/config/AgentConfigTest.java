package io.cachelens.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

  @Test
  void defaultsAreSafe() {
    AgentConfig config = AgentConfig.load(ConfigSource.of(Map.of(), Map.of()));
    assertThat(config.rootSpans()).isEqualTo(RootSpans.SLOW);
    assertThat(config.slowThreshold()).isEqualTo(Duration.ofMillis(10));
    assertThat(config.keyCapture()).isEqualTo(KeyCapture.PREFIX);
    assertThat(config.prefixLimit()).isEqualTo(256);
    assertThat(config.reportInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.reportDirectory()).isEqualTo(Path.of("cachelens-reports"));
    assertThat(config.instrumentationEnabled("jedis-4")).isTrue();
  }

  @Test
  void systemPropertyWinsOverEnvironmentWhichWinsOverFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cachelens.properties");
    Files.writeString(
        file, "cachelens.spans.root=none\ncachelens.spans.slow=3ms\ncachelens.prefix.limit=99\n");
    ConfigSource source =
        ConfigSource.of(
            Map.of("cachelens.config", file.toString(), "cachelens.spans.root", "all"),
            Map.of("CACHELENS_SPANS_ROOT", "slow", "CACHELENS_SPANS_SLOW", "250us"));
    AgentConfig config = AgentConfig.load(source);
    assertThat(config.rootSpans()).isEqualTo(RootSpans.ALL);
    assertThat(config.slowThreshold()).isEqualTo(Duration.ofNanos(250_000));
    assertThat(config.prefixLimit()).isEqualTo(99);
  }

  @Test
  void invalidChoiceNamesKeyAndAcceptedValues() {
    ConfigSource source = ConfigSource.of(Map.of("cachelens.spans.root", "sometimes"), Map.of());
    assertThatThrownBy(() -> AgentConfig.load(source))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "cachelens.spans.root=sometimes is not valid; accepted values: slow, all, none");
  }

  @Test
  void invalidDurationNumberAndBooleanAreRejected() {
    assertThatThrownBy(
            () ->
                AgentConfig.load(ConfigSource.of(Map.of(), Map.of("CACHELENS_SPANS_SLOW", "soon"))))
        .hasMessageContaining("cachelens.spans.slow=soon")
        .hasMessageContaining("10ms");
    assertThatThrownBy(
            () ->
                AgentConfig.load(ConfigSource.of(Map.of("cachelens.prefix.limit", "2"), Map.of())))
        .hasMessageContaining("from 3 to 65536");
    AgentConfig config =
        AgentConfig.load(
            ConfigSource.of(
                Map.of("cachelens.instrumentation.jedis-4.enabled", "maybe"), Map.of()));
    assertThatThrownBy(() -> config.instrumentationEnabled("jedis-4"))
        .hasMessageContaining("accepted values: true, false");
  }

  @Test
  void durationsThatDoNotFitNanosecondsAreRejected() {
    assertThatThrownBy(
            () ->
                AgentConfig.load(
                    ConfigSource.of(Map.of("cachelens.spans.slow", "999999999999m"), Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("at most 365 days");
    assertThat(
            AgentConfig.load(
                    ConfigSource.of(Map.of("cachelens.report.interval", "525600m"), Map.of()))
                .reportInterval())
        .isEqualTo(Duration.ofDays(365));
  }

  @Test
  void missingExplicitConfigFileIsAnError(@TempDir Path dir) {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(
            () -> ConfigSource.of(Map.of("cachelens.config", missing.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void serviceNameComesFromCacheLensThenOpenTelemetrySettings() {
    assertThat(
            AgentConfig.load(
                    ConfigSource.of(
                        Map.of("cachelens.service.name", "a", "otel.service.name", "b"), Map.of()))
                .explicitServiceName())
        .isEqualTo("a");
    assertThat(
            AgentConfig.load(ConfigSource.of(Map.of(), Map.of("OTEL_SERVICE_NAME", "checkout")))
                .explicitServiceName())
        .isEqualTo("checkout");
    assertThat(
            AgentConfig.load(
                    ConfigSource.of(
                        Map.of(),
                        Map.of("OTEL_RESOURCE_ATTRIBUTES", "team=core, service.name=orders")))
                .explicitServiceName())
        .isEqualTo("orders");
    assertThat(AgentConfig.load(ConfigSource.of(Map.of(), Map.of())).explicitServiceName())
        .isNull();
  }
}
