package io.cachelens.benchmarks;

/** What one workload run reports, and how the report treats it. */
enum Metric {
  THROUGHPUT("throughput", "ops/s", "%,.0f", false),
  CPU("client CPU", "µs/op", "%,.1f", false),
  ALLOCATED("allocated", "B/op", "%,.0f", true),
  STARTUP("launch → first command", "ms", "%,.0f", true),
  PEAK_RSS("peak RSS", "MB", "%,.0f", true);

  final String title;
  final String unit;
  final String format;

  /** An agent adds a roughly fixed amount: the report shows the paired difference too. */
  final boolean additive;

  Metric(String title, String unit, String format, boolean additive) {
    this.title = title;
    this.unit = unit;
    this.format = format;
    this.additive = additive;
  }
}
