package io.cachelens.agent.telemetry;

import io.cachelens.agent.config.ConfigSource;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK (shaded) configured the standard way ({@code otel.*} properties, {@code
 * OTEL_*} environment), with one CacheLens default: no exporter unless an OTLP endpoint or an
 * exporter is configured, so an agent nobody pointed anywhere sends nothing over the network.
 */
public final class Telemetry {
  private static final String[] ENDPOINT_KEYS = {
    "otel.exporter.otlp.endpoint",
    "otel.exporter.otlp.traces.endpoint",
    "otel.exporter.otlp.metrics.endpoint",
    "otel.exporter.otlp.logs.endpoint",
  };

  /** The instrumentation scope of everything the agent emits. */
  static final String SCOPE = "io.cachelens";

  private final OpenTelemetrySdk sdk;

  private Telemetry(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  /** Builds the SDK; {@code serviceName} is the default for {@code otel.service.name}. */
  public static Telemetry start(ConfigSource config, String serviceName, MetricProducer metrics) {
    Map<String, String> defaults = defaults(config, serviceName);
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> defaults)
            .addMeterProviderCustomizer(
                (builder, properties) -> builder.registerMetricProducer(metrics))
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    return new Telemetry(sdk);
  }

  /**
   * True when the service configured somewhere to send telemetry: an OTLP endpoint, or an exporter
   * other than {@code none}. Without one the agent does not start the SDK at all.
   */
  public static boolean exportConfigured(ConfigSource config) {
    for (String key : ENDPOINT_KEYS) {
      if (config.getFromProcess(key) != null) {
        return true;
      }
    }
    for (String signal : new String[] {"traces", "metrics", "logs"}) {
      String exporter = config.getFromProcess("otel." + signal + ".exporter");
      if (exporter != null && !exporter.trim().equalsIgnoreCase("none")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The lowest-precedence defaults: system properties and the environment override every one of
   * them.
   */
  static Map<String, String> defaults(ConfigSource config, String serviceName) {
    Map<String, String> defaults = new HashMap<>();
    boolean endpointConfigured = false;
    for (String key : ENDPOINT_KEYS) {
      endpointConfigured |= config.getFromProcess(key) != null;
    }
    if (!endpointConfigured) {
      defaults.put("otel.traces.exporter", "none");
      defaults.put("otel.metrics.exporter", "none");
      defaults.put("otel.logs.exporter", "none");
    }
    if (serviceName != null) {
      defaults.put("otel.service.name", serviceName);
    }
    return defaults;
  }

  public OpenTelemetrySdk sdk() {
    return sdk;
  }

  /** The agent's meter, for instruments the SDK calls back at collection time. */
  public Meter meter(String version) {
    return sdk.getMeterProvider().meterBuilder(SCOPE).setInstrumentationVersion(version).build();
  }

  /**
   * The agent's logger, for the audit's finding events; a no-op unless {@code otel.logs.exporter}
   * is on (by default only when an OTLP endpoint is configured, as for traces and metrics).
   */
  public Logger logger(String version) {
    return sdk.getLogsBridge().loggerBuilder(SCOPE).setInstrumentationVersion(version).build();
  }

  /** Flushes what is pending and stops the SDK, waiting at most {@code millis}. */
  public void shutdown(long millis) {
    CompletableResultCode flushed =
        CompletableResultCode.ofAll(
            List.of(
                sdk.getSdkMeterProvider().forceFlush(), sdk.getSdkLoggerProvider().forceFlush()));
    flushed.join(millis, TimeUnit.MILLISECONDS);
    sdk.shutdown().join(millis, TimeUnit.MILLISECONDS);
  }
}
