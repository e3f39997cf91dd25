package io.cachelens.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.agent.config.ConfigSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryDefaultsTest {

  @Test
  void withoutEndpointNothingIsExported() {
    Map<String, String> defaults =
        Telemetry.defaults(ConfigSource.of(Map.of(), Map.of()), "checkout");
    assertThat(defaults)
        .containsEntry("otel.traces.exporter", "none")
        .containsEntry("otel.metrics.exporter", "none")
        .containsEntry("otel.logs.exporter", "none")
        .containsEntry("otel.service.name", "checkout");
  }

  @Test
  void anEndpointTurnsOnOpenTelemetryDefaults() {
    Map<String, String> defaults =
        Telemetry.defaults(
            ConfigSource.of(
                Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")),
            "checkout");
    assertThat(defaults).doesNotContainKeys("otel.traces.exporter", "otel.metrics.exporter");
    Map<String, String> tracesOnly =
        Telemetry.defaults(
            ConfigSource.of(
                Map.of("otel.exporter.otlp.traces.endpoint", "http://c:4318"), Map.of()),
            null);
    assertThat(tracesOnly)
        .doesNotContainKey("otel.traces.exporter")
        .doesNotContainKey("otel.service.name");
  }
}
