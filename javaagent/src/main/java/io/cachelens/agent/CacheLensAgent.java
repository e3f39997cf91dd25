package io.cachelens.agent;

import io.cachelens.agent.audit.AuditCollector;
import io.cachelens.agent.config.AgentConfig;
import io.cachelens.agent.config.ConfigException;
import io.cachelens.agent.config.ConfigSource;
import io.cachelens.agent.config.KeyCapture;
import io.cachelens.agent.instrument.DeferredTransformer;
import io.cachelens.agent.instrument.InstrumentationInstaller;
import io.cachelens.agent.report.AuditReporter;
import io.cachelens.agent.sink.CacheLensSink;
import io.cachelens.agent.sink.Targets;
import io.cachelens.agent.telemetry.ApplicationTraceContext;
import io.cachelens.agent.telemetry.AuditEvents;
import io.cachelens.agent.telemetry.AuditMetrics;
import io.cachelens.agent.telemetry.CommandSpans;
import io.cachelens.agent.telemetry.OperationDurationProducer;
import io.cachelens.agent.telemetry.Telemetry;
import io.cachelens.analysis.audit.AuditRules;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.command.CommandCatalog;
import io.cachelens.analysis.prefix.KeyPrefixInferrer;
import io.cachelens.analysis.prefix.PrefixConfig;
import io.cachelens.analysis.stats.CommandStatsTable;
import io.cachelens.instrumentation.api.RedisEvents;
import io.cachelens.instrumentation.spi.ClientClassTransformer;
import io.cachelens.instrumentation.spi.ClientInstrumentation;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts CacheLens inside the service. The premain thread only validates the configuration, reads
 * which classes the modules transform and registers a {@link DeferredTransformer} for them; the
 * Byte Buddy transformer, the sink (on a second thread), the OpenTelemetry SDK (only when an
 * exporter is configured, with the audit's metrics and finding events) and the periodic summary all
 * start on a daemon thread.
 */
public final class CacheLensAgent {
  /**
   * Cells for distinct (target, command, prefix) triples, about 3.6 KB each; beyond it counts fold
   * into per-command overflow cells, so memory stays under ~20 MB whatever the service does.
   */
  static final int MAX_CELLS = 4_096;

  private CacheLensAgent() {}

  /** Called reflectively by the launcher once the agent jar is on the bootstrap class path. */
  public static void start(
      String arguments, Instrumentation instrumentation, boolean lateAttach, File agentJar) {
    AgentConfig config;
    PrefixConfig prefixConfig;
    InstrumentationInstaller.Modules modules;
    try {
      config = AgentConfig.load(ConfigSource.fromProcess());
      prefixConfig = prefixConfig(config);
      modules = InstrumentationInstaller.enabledModules(config);
    } catch (ConfigException | IllegalArgumentException e) {
      AgentLog.info(
          "disabled by an invalid configuration, the service runs without it: " + e.getMessage());
      return;
    }
    // Everything else happens on the background thread; client classes wait for it at the gate.
    DeferredTransformer gate = new DeferredTransformer(modules.internalNames());
    instrumentation.addTransformer(gate, false);
    if (lateAttach) {
      AgentLog.info(
          "attached to a running JVM: only client classes loaded from now on are instrumented");
    }
    ScheduledExecutorService background =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "cachelens-background");
              thread.setDaemon(true);
              return thread;
            });
    AtomicReference<Running> running = new AtomicReference<>();
    background.execute(
        () ->
            running.set(
                startInBackground(config, prefixConfig, modules, gate, arguments, agentJar)));
    long interval = config.reportInterval().toMillis();
    if (interval > 0) {
      background.scheduleWithFixedDelay(
          () -> {
            Running current = running.get();
            if (current != null) {
              current.reporter.write();
            }
          },
          interval,
          interval,
          TimeUnit.MILLISECONDS);
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stop(background, running), "cachelens-shutdown"));
  }

  /** What the background thread started; the shutdown hook stops it. */
  private static final class Running {
    final CacheLensSink sink;
    final CommandSpans spans;
    final AuditReporter reporter;
    final Telemetry telemetry;

    Running(CacheLensSink sink, CommandSpans spans, AuditReporter reporter, Telemetry telemetry) {
      this.sink = sink;
      this.spans = spans;
      this.reporter = reporter;
      this.telemetry = telemetry;
    }
  }

  private static Running startInBackground(
      AgentConfig config,
      PrefixConfig prefixConfig,
      InstrumentationInstaller.Modules modules,
      DeferredTransformer gate,
      String arguments,
      File agentJar) {
    long begin = System.nanoTime();
    try {
      String service = serviceName(config);
      boolean export = Telemetry.exportConfigured(config.source());
      CommandSpans spans = new CommandSpans(export);
      Instant start = Instant.now();
      long startNanos = System.nanoTime();
      // The sink (command catalog, prefix tables) builds on a second core while this thread builds
      // the Byte Buddy transformer, the longer of the two; client classes wait for both.
      FutureTask<CacheLensSink> sinkTask =
          new FutureTask<>(
              () -> {
                KeyPrefixInferrer prefixes = new KeyPrefixInferrer(prefixConfig);
                return new CacheLensSink(
                    config,
                    CommandCatalog.standard(),
                    prefixes,
                    new CommandStatsTable(MAX_CELLS),
                    new Targets(),
                    spans,
                    new ApplicationTraceContext(),
                    new AuditCollector(
                        config.auditThresholds(),
                        prefixes,
                        config.keyCapture() == KeyCapture.FULL,
                        config.slowThreshold().toNanos(),
                        start,
                        startNanos));
              });
      Thread sinkBuilder = new Thread(sinkTask, "cachelens-sink");
      sinkBuilder.setDaemon(true);
      sinkBuilder.start();
      ClientClassTransformer transformer =
          InstrumentationInstaller.build(config, modules, agentJar);
      CacheLensSink sink = sinkTask.get();
      RedisEvents.install(sink);
      gate.ready(transformer);
      long instrumented = System.nanoTime();
      Telemetry telemetry = null;
      AuditEvents events = null;
      if (export) {
        String version = version();
        try {
          telemetry =
              Telemetry.start(
                  config.source(), service, new OperationDurationProducer(sink, version, spans));
          spans.install(telemetry.sdk().getTracer("io.cachelens", version));
          AuditMetrics.register(telemetry.meter(version), sink);
          events = new AuditEvents(telemetry.logger(version));
        } catch (Throwable t) {
          // Instrumentation and the local summary keep working; only export is off.
          spans.disable();
          events = null;
          AgentLog.info("OpenTelemetry export is off, the local summary still works: " + t);
        }
      }
      // Client classes usually load well after this (after OpenTelemetry too, which spans must
      // not wait for): meanwhile, warm up what transforming them takes, so the thread that loads
      // them waits less.
      transformer.warmUp();
      AuditReporter reporter =
          new AuditReporter(
              sink,
              new AuditRules(config.auditThresholds()),
              service,
              hostName(),
              config.reportDirectory(),
              start,
              startNanos,
              events == null ? null : events::publish);
      if (config.debug()) {
        AgentLog.info(
            "started for service "
                + service
                + " with "
                + modules.modules().stream().map(ClientInstrumentation::name).toList()
                + ": instrumentation ready after "
                + (instrumented - begin) / 1_000_000
                + " ms, "
                + (export
                    ? "OpenTelemetry after " + (System.nanoTime() - begin) / 1_000_000 + " ms"
                    : "no OpenTelemetry exporter configured")
                + (arguments == null ? "" : " (agent arguments ignored: " + arguments + ")"));
      }
      return new Running(sink, spans, reporter, telemetry);
    } catch (Throwable t) {
      gate.ready(null);
      AgentLog.info("failed to start, the service runs without it: " + t);
      return null;
    }
  }

  private static void stop(ScheduledExecutorService background, AtomicReference<Running> running) {
    background.shutdown();
    try {
      background.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Running current = running.get();
    if (current == null) {
      return;
    }
    ServiceAudit audit = current.reporter.write();
    if (audit != null) {
      AgentLog.info(AuditReporter.headline(audit, current.reporter.file()));
    }
    if (current.telemetry != null) {
      try {
        current.telemetry.shutdown(5_000);
      } catch (Throwable t) {
        AgentLog.info("could not flush OpenTelemetry data at exit: " + t);
      }
    }
    if (current.spans.dropped() > 0) {
      AgentLog.info(
          "dropped "
              + current.spans.dropped()
              + " spans that finished before OpenTelemetry was ready");
    }
    if (current.sink.failures() > 0) {
      AgentLog.info(
          "caught " + current.sink.failures() + " internal failures without affecting the service");
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
