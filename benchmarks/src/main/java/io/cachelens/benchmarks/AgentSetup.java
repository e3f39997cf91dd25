package io.cachelens.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What, if anything, is attached to a workload JVM. */
enum AgentSetup {
  A("no agent"),
  B("CacheLens agent at defaults (untraced service, spans.root=slow, no OTLP endpoint configured)"),
  C("CacheLens agent, every command traced (cachelens.spans.root=all, OTel exporters none)"),
  D("OpenTelemetry Java agent, exporters none");

  final String description;

  AgentSetup(String description) {
    this.description = description;
  }

  boolean usesCacheLens() {
    return this == B || this == C;
  }

  /** JVM options placed before the main class. */
  List<String> jvmArgs(Path cacheLensAgent, Path otelAgent) {
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
        addExportersNone(args);
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
