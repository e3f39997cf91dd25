package io.cachelens.benchmarks;

import java.util.EnumMap;
import java.util.Map;

/** One workload process under one configuration in one round. */
final class RunResult {
  final int round;
  final Workload workload;
  final AgentSetup config;
  final Map<Metric, Double> values = new EnumMap<>(Metric.class);

  /** JVM start (RuntimeMXBean) → first command, as the workload itself saw it. */
  double jvmStartToFirstCommandMs = Double.NaN;

  /** Threads whose timed-phase allocation could not be counted because they had ended. */
  long threadsMissed;

  /** Why the run produced no result; null if it did. */
  String error;

  RunResult(int round, Workload workload, AgentSetup config) {
    this.round = round;
    this.workload = workload;
    this.config = config;
  }

  boolean ok() {
    return error == null && values.size() == Metric.values().length;
  }

  double get(Metric metric) {
    Double value = values.get(metric);
    return value == null ? Double.NaN : value;
  }
}
