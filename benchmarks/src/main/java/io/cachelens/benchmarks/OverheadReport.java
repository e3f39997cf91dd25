package io.cachelens.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleBinaryOperator;

/**
 * Medians, ratios against configuration A and the pass/fail bars, rendered as Markdown.
 *
 * <p>"Paired" figures compare runs of the same round, which ran next to each other, so slow drift
 * of the machine cancels out: paired ratio = median over rounds of X/A, paired difference = median
 * over rounds of X − A. Rounds where either run failed are left out of both.
 */
final class OverheadReport {

  enum Verdict {
    PASS,
    FAIL,
    NOT_MEASURED
  }

  /** One bar: what is required, what was measured, and whether it holds. */
  static final class Bar {
    final String requirement;
    final String workload;
    final String measured;
    final Verdict verdict;

    Bar(String requirement, String workload, String measured, Verdict verdict) {
      this.requirement = requirement;
      this.workload = workload;
      this.measured = measured;
      this.verdict = verdict;
    }
  }

  static final double MIN_THROUGHPUT_JEDIS_1T = 0.97;
  static final double MIN_THROUGHPUT_LETTUCE_ASYNC = 0.95;
  static final double MAX_EXTRA_BYTES_PER_OP = 200;
  static final double MAX_EXTRA_STARTUP_MS = 300;
  static final double MAX_EXTRA_RSS_MB = 40;

  private final List<RunResult> runs;
  private final List<Workload> workloads;
  private final List<AgentSetup> configs;
  private final int rounds;

  OverheadReport(
      List<RunResult> runs, List<Workload> workloads, List<AgentSetup> configs, int rounds) {
    this.runs = runs;
    this.workloads = workloads;
    this.configs = configs;
    this.rounds = rounds;
  }

  double median(Workload workload, AgentSetup config, Metric metric) {
    List<Double> values = new ArrayList<>();
    for (RunResult run : runs) {
      if (run.ok() && run.workload == workload && run.config == config) {
        values.add(run.get(metric));
      }
    }
    return median(values);
  }

  int successes(Workload workload, AgentSetup config) {
    int n = 0;
    for (RunResult run : runs) {
      if (run.ok() && run.workload == workload && run.config == config) {
        n++;
      }
    }
    return n;
  }

  double pairedRatio(Workload workload, AgentSetup config, Metric metric) {
    return paired(workload, config, metric, (x, a) -> x / a);
  }

  double pairedDifference(Workload workload, AgentSetup config, Metric metric) {
    return paired(workload, config, metric, (x, a) -> x - a);
  }

  double ratioOfMedians(Workload workload, AgentSetup config, Metric metric) {
    return median(workload, config, metric) / median(workload, AgentSetup.A, metric);
  }

  private double paired(
      Workload workload, AgentSetup config, Metric metric, DoubleBinaryOperator compare) {
    List<Double> values = new ArrayList<>();
    for (RunResult run : runs) {
      if (!run.ok() || run.workload != workload || run.config != config) {
        continue;
      }
      for (RunResult base : runs) {
        if (base.ok()
            && base.workload == workload
            && base.config == AgentSetup.A
            && base.round == run.round) {
          values.add(compare.applyAsDouble(run.get(metric), base.get(metric)));
        }
      }
    }
    return median(values);
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  List<Bar> bars() {
    List<Bar> bars = new ArrayList<>();
    throughputBar(bars, Workload.JEDIS_1T, MIN_THROUGHPUT_JEDIS_1T);
    throughputBar(bars, Workload.LETTUCE_ASYNC, MIN_THROUGHPUT_LETTUCE_ASYNC);
    for (Workload workload : workloads) {
      extraBar(
          bars,
          workload,
          Metric.ALLOCATED,
          MAX_EXTRA_BYTES_PER_OP,
          "B (CacheLens, defaults) allocates ≤ 200 extra bytes per command");
    }
    for (Workload workload : workloads) {
      extraBar(
          bars,
          workload,
          Metric.STARTUP,
          MAX_EXTRA_STARTUP_MS,
          "B adds ≤ 300 ms from launch to first command");
    }
    for (Workload workload : workloads) {
      extraBar(bars, workload, Metric.PEAK_RSS, MAX_EXTRA_RSS_MB, "B adds ≤ 40 MB peak RSS");
    }
    for (Workload workload : workloads) {
      String requirement = "C (CacheLens, all traced) allocates fewer B/op than D (OTel agent)";
      double c = median(workload, AgentSetup.C, Metric.ALLOCATED);
      double d = median(workload, AgentSetup.D, Metric.ALLOCATED);
      if (Double.isNaN(c) || Double.isNaN(d)) {
        bars.add(new Bar(requirement, workload.title, "not measured", Verdict.NOT_MEASURED));
      } else {
        bars.add(
            new Bar(
                requirement,
                workload.title,
                String.format(Locale.ROOT, "C %,.0f vs D %,.0f B/op", c, d),
                c < d ? Verdict.PASS : Verdict.FAIL));
      }
    }
    return bars;
  }

  private void throughputBar(List<Bar> bars, Workload workload, double minimum) {
    String requirement =
        String.format(
            Locale.ROOT, "B keeps ≥ %.0f%% of A's throughput (paired ratio)", minimum * 100);
    if (!workloads.contains(workload)) {
      bars.add(new Bar(requirement, workload.title, "workload not run", Verdict.NOT_MEASURED));
      return;
    }
    double paired = pairedRatio(workload, AgentSetup.B, Metric.THROUGHPUT);
    if (Double.isNaN(paired)) {
      bars.add(new Bar(requirement, workload.title, "not measured", Verdict.NOT_MEASURED));
      return;
    }
    double ofMedians = ratioOfMedians(workload, AgentSetup.B, Metric.THROUGHPUT);
    bars.add(
        new Bar(
            requirement,
            workload.title,
            String.format(Locale.ROOT, "%.3f paired (%.3f of medians)", paired, ofMedians),
            paired >= minimum ? Verdict.PASS : Verdict.FAIL));
  }

  private void extraBar(
      List<Bar> bars, Workload workload, Metric metric, double maximum, String requirement) {
    double extra = pairedDifference(workload, AgentSetup.B, metric);
    if (Double.isNaN(extra)) {
      bars.add(new Bar(requirement, workload.title, "not measured", Verdict.NOT_MEASURED));
      return;
    }
    bars.add(
        new Bar(
            requirement,
            workload.title,
            signed(metric.format, extra) + " " + metric.unit + " (paired)",
            extra <= maximum ? Verdict.PASS : Verdict.FAIL));
  }

  /** The whole report: summary, one table per metric, bars, failures. */
  String markdown(String heading, List<String> caveats) {
    StringBuilder md = new StringBuilder();
    md.append("# CacheLens overhead benchmark\n\n").append(heading).append('\n');

    md.append("\n## Summary\n\n");
    md.append("Ratios are B, C, D against A: ratio of medians (median of same-round ratios).\n\n");
    md.append("| workload | A ops/s");
    for (AgentSetup config : configs) {
      if (config != AgentSetup.A) {
        md.append(" | ").append(config).append(" ratio (paired)");
      }
    }
    md.append(" | client CPU µs/op ").append(arrowHeader());
    md.append(" | allocated B/op ").append(arrowHeader()).append(" |\n");
    md.append("|---|").append("---:|".repeat(configs.size() + 2)).append('\n');
    for (Workload workload : workloads) {
      md.append("| ").append(workload.title);
      md.append(" | ")
          .append(format(Metric.THROUGHPUT, median(workload, AgentSetup.A, Metric.THROUGHPUT)));
      for (AgentSetup config : configs) {
        if (config != AgentSetup.A) {
          md.append(" | ").append(ratioCell(workload, config, Metric.THROUGHPUT));
        }
      }
      md.append(" | ").append(arrowCell(workload, Metric.CPU));
      md.append(" | ").append(arrowCell(workload, Metric.ALLOCATED)).append(" |\n");
    }

    for (Metric metric : Metric.values()) {
      md.append("\n## ").append(capitalized(metric.title)).append(" (").append(metric.unit);
      md.append(")\n\n");
      md.append("Cells: median");
      if (metric.additive) {
        md.append(" · difference vs A (median of same-round differences)");
      }
      md.append(" · ratio vs A of medians (median of same-round ratios).\n\n");
      md.append("| workload |");
      for (AgentSetup config : configs) {
        md.append(' ').append(config).append(" |");
      }
      md.append("\n|---|").append("---:|".repeat(configs.size())).append('\n');
      for (Workload workload : workloads) {
        md.append("| ").append(workload.title).append(" |");
        for (AgentSetup config : configs) {
          md.append(' ').append(cell(workload, config, metric)).append(" |");
        }
        md.append('\n');
      }
    }

    md.append("\n## Bars\n\n| | requirement | workload | measured |\n|---|---|---|---|\n");
    int passed = 0;
    int failed = 0;
    for (Bar bar : bars()) {
      passed += bar.verdict == Verdict.PASS ? 1 : 0;
      failed += bar.verdict == Verdict.FAIL ? 1 : 0;
      md.append("| ")
          .append(bar.verdict == Verdict.NOT_MEASURED ? "n/a" : bar.verdict.toString())
          .append(" | ")
          .append(bar.requirement)
          .append(" | ")
          .append(bar.workload)
          .append(" | ")
          .append(bar.measured)
          .append(" |\n");
    }
    md.append("\nBars: ").append(passed).append(" passed, ").append(failed).append(" failed");
    md.append(".\n");

    List<RunResult> failures = new ArrayList<>();
    for (RunResult run : runs) {
      if (!run.ok()) {
        failures.add(run);
      }
    }
    if (!failures.isEmpty()) {
      md.append("\n## Failed runs\n\n");
      for (RunResult run : failures) {
        md.append("- round ")
            .append(run.round)
            .append(", ")
            .append(run.workload.id)
            .append(", ")
            .append(run.config)
            .append(": ")
            .append(run.error)
            .append('\n');
      }
    }

    if (!caveats.isEmpty()) {
      md.append("\n## Caveats\n\n");
      for (String caveat : caveats) {
        md.append("- ").append(caveat).append('\n');
      }
    }
    return md.toString();
  }

  private String arrowHeader() {
    StringBuilder header = new StringBuilder();
    for (AgentSetup config : configs) {
      header.append(header.length() == 0 ? "" : " → ").append(config);
    }
    return header.toString();
  }

  private String arrowCell(Workload workload, Metric metric) {
    StringBuilder cell = new StringBuilder();
    for (AgentSetup config : configs) {
      cell.append(cell.length() == 0 ? "" : " → ")
          .append(format(metric, median(workload, config, metric)));
    }
    return cell.toString();
  }

  private String ratioCell(Workload workload, AgentSetup config, Metric metric) {
    double ofMedians = ratioOfMedians(workload, config, metric);
    double paired = pairedRatio(workload, config, metric);
    if (Double.isNaN(ofMedians) && Double.isNaN(paired)) {
      return "–";
    }
    return ratio(ofMedians) + " (" + ratio(paired) + ")";
  }

  private String cell(Workload workload, AgentSetup config, Metric metric) {
    double median = median(workload, config, metric);
    if (Double.isNaN(median)) {
      return "–";
    }
    StringBuilder cell = new StringBuilder(format(metric, median));
    if (config != AgentSetup.A) {
      if (metric.additive) {
        double difference = pairedDifference(workload, config, metric);
        if (!Double.isNaN(difference)) {
          cell.append(" · ").append(signed(metric.format, difference));
        }
      }
      cell.append(" · ").append(ratioCell(workload, config, metric));
    }
    int n = successes(workload, config);
    if (n < rounds) {
      cell.append(" [").append(n).append('/').append(rounds).append(" runs]");
    }
    return cell.toString();
  }

  private static String format(Metric metric, double value) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, metric.format, value);
  }

  private static String signed(String format, double value) {
    String text = String.format(Locale.ROOT, format, Math.abs(value));
    return (value < 0 ? "−" : "+") + text;
  }

  private static String ratio(double value) {
    if (Double.isNaN(value)) {
      return "–";
    }
    return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.3f", value);
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
