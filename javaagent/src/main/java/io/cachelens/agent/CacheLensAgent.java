package io.cachelens.agent;

import io.cachelens.agent.config.AgentConfig;
import io.cachelens.agent.config.ConfigException;
import io.cachelens.agent.config.ConfigSource;
import io.cachelens.agent.instrument.InstrumentationInstaller;
import io.cachelens.agent.report.SummaryReporter;
import io.cachelens.agent.sink.CacheLensSink;
import io.cachelens.agent.sink.Targets;
import io.cachelens.agent.telemetry.ApplicationTraceContext;
import io.cachelens.agent.telemetry.CommandSpans;
import io.cachelens.agent.telemetry.OperationDurationProducer;
import io.cachelens.agent.telemetry.Telemetry;
import io.cachelens.analysis.command.CommandCatalog;
import io.cachelens.analysis.prefix.KeyPrefixInferrer;
import io.cachelens.analysis.prefix.PrefixConfig;
import io.cachelens.analysis.stats.CommandStatsTable;
import io.cachelens.analysis.summary.ServiceSummary;
import io.cachelens.instrumentation.api.RedisEvents;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts CacheLens inside the service: reads the configuration, installs the sink and the client
 * instrumentation on the premain thread (the only work that must happen before the service's
 * classes load), and moves everything else (the OpenTelemetry SDK, the periodic summary) to one
 * daemon thread.
 */
public final class CacheLensAgent {
  /**
   * Cells for distinct (target, command, prefix) triples, about 3.6 KB each; beyond it counts fold
   * into per-command overflow cells, so memory stays under ~20 MB whatever the service does.
   */
  static final int MAX_CELLS = 4_096;

  private CacheLensAgent() {}

  /** Called reflectively by the launcher once the event API is on the bootstrap class path. */
  public static void start(
      String arguments, Instrumentation instrumentation, boolean lateAttach, File agentJar) {
    AgentConfig config;
    KeyPrefixInferrer prefixes;
    try {
      config = AgentConfig.load(ConfigSource.fromProcess());
      prefixes = new KeyPrefixInferrer(prefixConfig(config));
    } catch (ConfigException | IllegalArgumentException e) {
      AgentLog.info(
          "disabled by an invalid configuration, the service runs without it: " + e.getMessage());
      return;
    }
    String service = serviceName(config);
    CommandSpans spans = new CommandSpans();
    CacheLensSink sink =
        new CacheLensSink(
            config,
            CommandCatalog.standard(),
            prefixes,
            new CommandStatsTable(MAX_CELLS),
            new Targets(),
            spans,
            new ApplicationTraceContext());
    RedisEvents.install(sink);
    AtomicInteger transformErrors = new AtomicInteger();
    List<String> modules =
        InstrumentationInstaller.install(config, instrumentation, transformErrors);
    if (lateAttach) {
      AgentLog.info(
          "attached to a running JVM: only client classes loaded from now on are instrumented");
    }

    SummaryReporter reporter =
        new SummaryReporter(sink, service, hostName(), config.reportDirectory());
    String version = version();
    ScheduledExecutorService background =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "cachelens-background");
              thread.setDaemon(true);
              return thread;
            });
    Telemetry[] telemetry = new Telemetry[1];
    background.execute(
        () -> {
          try {
            long begin = System.nanoTime();
            Telemetry started =
                Telemetry.start(
                    config.source(), service, new OperationDurationProducer(sink, version, spans));
            telemetry[0] = started;
            spans.install(started.sdk().getTracer("io.cachelens", version));
            if (config.debug()) {
              AgentLog.info(
                  "OpenTelemetry SDK ready in " + (System.nanoTime() - begin) / 1_000_000 + " ms");
            }
          } catch (Throwable t) {
            AgentLog.info("OpenTelemetry export is off, the local summary still works: " + t);
          }
        });
    long interval = config.reportInterval().toMillis();
    if (interval > 0) {
      background.scheduleWithFixedDelay(reporter::write, interval, interval, TimeUnit.MILLISECONDS);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> stop(reporter, background, telemetry, sink, spans), "cachelens-shutdown"));
    if (config.debug()) {
      AgentLog.info(
          "started for service "
              + service
              + " with "
              + modules
              + (arguments == null ? "" : " (agent arguments ignored: " + arguments + ")"));
    }
  }

  private static void stop(
      SummaryReporter reporter,
      ScheduledExecutorService background,
      Telemetry[] telemetry,
      CacheLensSink sink,
      CommandSpans spans) {
    background.shutdown();
    try {
      background.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ServiceSummary summary = reporter.write();
    if (summary != null) {
      AgentLog.info(SummaryReporter.headline(summary, reporter.file()));
    }
    Telemetry started = telemetry[0];
    if (started != null) {
      try {
        started.shutdown(5_000);
      } catch (Throwable t) {
        AgentLog.info("could not flush OpenTelemetry data at exit: " + t);
      }
    }
    if (spans.dropped() > 0) {
      AgentLog.info(
          "dropped " + spans.dropped() + " spans that finished before OpenTelemetry was ready");
    }
    if (sink.failures() > 0) {
      AgentLog.info(
          "caught " + sink.failures() + " internal failures without affecting the service");
    }
  }

  static PrefixConfig prefixConfig(AgentConfig config) {
    return PrefixConfig.builder()
        .delimiters(config.prefixDelimiters())
        .maxDepth(config.prefixDepth())
        .maxPrefixes(config.prefixLimit())
        .patterns(config.prefixPatterns())
        .build();
  }

  /** The configured service name, else the main jar's or main class's name. */
  static String serviceName(AgentConfig config) {
    String explicit = config.explicitServiceName();
    if (explicit != null) {
      return explicit;
    }
    return derivedServiceName(System.getProperty("sun.java.command"));
  }

  static String derivedServiceName(String command) {
    if (command == null || command.isBlank()) {
      return "unknown_service";
    }
    String main = command.trim().split("\\s+")[0];
    if (main.endsWith(".jar")) {
      String name = Paths.get(main).getFileName().toString();
      return name.substring(0, name.length() - ".jar".length());
    }
    int dot = main.lastIndexOf('.');
    return dot >= 0 && dot < main.length() - 1 ? main.substring(dot + 1) : main;
  }

  /** The host name without a DNS lookup, which could stall start-up. */
  static String hostName() {
    String name = System.getenv("HOSTNAME");
    if (name != null && !name.isBlank()) {
      return name.trim();
    }
    try {
      Path hostname = Paths.get("/etc/hostname");
      if (Files.isReadable(hostname)) {
        String content = Files.readString(hostname).trim();
        if (!content.isEmpty()) {
          return content;
        }
      }
    } catch (Exception e) {
      // fall through to the default below
    }
    return "localhost";
  }

  static String version() {
    String version = CacheLensAgent.class.getPackage().getImplementationVersion();
    return version != null ? version : "dev";
  }
}
