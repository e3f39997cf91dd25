package io.cachelens.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What, if anything, is attached to a workload JVM. */
enum AgentSetup {
  A("no agent"),
  B("CacheLens agent at defaults (untraced service, spans.root=slow, no OTLP endpoint configured)"),
  C(
      "CacheLens agent, every command traced (cachelens.spans.root=all), spans exported over"
          + " OTLP/HTTP to a loopback sink that discards them"),
  D("OpenTelemetry Java agent, exporters none");

  final String description;

  AgentSetup(String description) {
    this.description = description;
  }

  boolean usesCacheLens() {
    return this == B || this == C;
  }

  /**
   * JVM options placed before the main class.
   *
   * @param spanSink the OTLP/HTTP endpoint that configuration C exports its spans to
   */
  List<String> jvmArgs(Path cacheLensAgent, Path otelAgent, String spanSink) {
    List<String> args = new ArrayList<>();
    switch (this) {
      case A:
        break;
      case B:
        args.add("-javaagent:" + cacheLensAgent);
        break;
      case C:
        args.add("-javaagent:" + cacheLensAgent);
        args.add("-Dcachelens.spans.root=all");
        // A real exporter: with every exporter "none" CacheLens would rightly build no spans.
        args.add("-Dotel.traces.exporter=otlp");
        args.add("-Dotel.exporter.otlp.protocol=http/protobuf");
        args.add("-Dotel.exporter.otlp.endpoint=" + spanSink);
        args.add("-Dotel.metrics.exporter=none");
        args.add("-Dotel.logs.exporter=none");
        break;
      case D:
        args.add("-javaagent:" + otelAgent);
        addExportersNone(args);
        break;
    }
    return args;
  }

  private static void addExportersNone(List<String> args) {
    args.add("-Dotel.traces.exporter=none");
    args.add("-Dotel.metrics.exporter=none");
    args.add("-Dotel.logs.exporter=none");
  }

  static AgentSetup byName(String name) {
    try {
      return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown configuration " + name + "; known: A,B,C,D", e);
    }
  }
}
