package io.cachelens.analysis.fleet;

import io.cachelens.analysis.audit.AuditRule;
import io.cachelens.analysis.audit.CallSiteCount;
import io.cachelens.analysis.audit.ConnectionSummary;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.summary.CommandSummary;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.analysis.summary.ServiceSummary;
import io.cachelens.analysis.summary.SummaryTotals;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The merge rules of {@link FleetAudit#merge}. */
final class FleetMerger {

  private static final Comparator<ServiceAudit> INSTANCE_ORDER =
      Comparator.comparing((ServiceAudit audit) -> audit.summary().service())
          .thenComparing(audit -> audit.summary().host())
          .thenComparingLong(audit -> audit.summary().pid())
          .thenComparing(audit -> audit.summary().windowStart());

  /** Words of an evidence key that make its value a peak rather than a count. */
  private static final Set<String> PEAK_WORDS =
      Set.of(
          ("peak max maximum largest longest biggest highest median mean average avg threshold"
                  + " limit per rate share ratio percent fraction micros millis ms seconds")
              .split(" "));

  private FleetMerger() {}

  static FleetAudit merge(List<ServiceAudit> audits) {
    List<ServiceAudit> instances = latestSnapshots(audits);
    Map<String, List<ServiceAudit>> byService = new TreeMap<>();
    for (ServiceAudit audit : instances) {
      byService.computeIfAbsent(audit.summary().service(), name -> new ArrayList<>()).add(audit);
    }
    List<FleetService> services = new ArrayList<>(byService.size());
    List<FleetFinding> findings = new ArrayList<>();
    for (List<ServiceAudit> serviceInstances : byService.values()) {
      services.add(mergeService(serviceInstances));
      findings.addAll(mergeFindings(serviceInstances));
    }
    findings.sort(
        Comparator.comparing(FleetFinding::finding, ServiceAudit.FINDING_ORDER)
            .thenComparing(FleetFinding::service));
    return new FleetAudit(instances, services, prefixRows(services), findings);
  }

  /** The audits in instance order, keeping one per process: the latest snapshot. */
  private static List<ServiceAudit> latestSnapshots(List<ServiceAudit> audits) {
    Map<List<Object>, ServiceAudit> byProcess = new LinkedHashMap<>();
    for (ServiceAudit audit : audits) {
      ServiceSummary summary = audit.summary();
      List<Object> process =
          List.of(summary.service(), summary.host(), summary.pid(), summary.windowStart());
      byProcess.merge(process, audit, FleetMerger::laterSnapshot);
    }
    List<ServiceAudit> instances = new ArrayList<>(byProcess.values());
    instances.sort(INSTANCE_ORDER);
    return instances;
  }

  /**
   * Of two snapshots of one process, the one with the later window end; of two with the same end
   * (the same snapshot, read twice), the one with fewer findings skipped, then the first.
   */
  private static ServiceAudit laterSnapshot(ServiceAudit kept, ServiceAudit other) {
    int order = other.summary().windowEnd().compareTo(kept.summary().windowEnd());
    if (order != 0) {
      return order > 0 ? other : kept;
    }
    return other.skippedFindingCount() < kept.skippedFindingCount() ? other : kept;
  }

  private static FleetService mergeService(List<ServiceAudit> instances) {
    Set<String> hosts = new TreeSet<>();
    Instant windowStart = Instant.MAX;
    Instant windowEnd = Instant.MIN;
    SummaryTotals totals = new SummaryTotals(0, 0, 0, 0, 0);
    Map<String, CommandMerge> commands = new LinkedHashMap<>();
    Map<String, PrefixMerge> prefixes = new LinkedHashMap<>();
    Map<String, Long> skipped = new TreeMap<>();
    for (ServiceAudit audit : instances) {
      ServiceSummary summary = audit.summary();
      audit.skippedFindings().forEach((reason, count) -> skipped.merge(reason, count, Long::sum));
      hosts.add(summary.host());
      windowStart = min(windowStart, summary.windowStart());
      windowEnd = max(windowEnd, summary.windowEnd());
      totals = sum(totals, summary.totals());
      for (CommandSummary command : summary.commands()) {
        commands.computeIfAbsent(command.name(), CommandMerge::new).add(command);
      }
      for (PrefixSummary prefix : summary.prefixes()) {
        prefixes.computeIfAbsent(prefix.prefix(), PrefixMerge::new).add(prefix);
      }
    }
    List<CommandSummary> mergedCommands =
        commands.values().stream()
            .map(CommandMerge::summary)
            .sorted(
                Comparator.comparingLong(CommandSummary::count)
                    .reversed()
                    .thenComparing(CommandSummary::name))
            .toList();
    List<PrefixSummary> mergedPrefixes =
        prefixes.values().stream()
            .map(PrefixMerge::summary)
            .sorted(
                Comparator.comparingLong((PrefixSummary prefix) -> prefix.reads() + prefix.writes())
                    .reversed()
                    .thenComparing(PrefixSummary::prefix))
            .toList();
    return new FleetService(
        instances.get(0).summary().service(),
        List.copyOf(hosts),
        instances.size(),
        windowStart,
        windowEnd,
        totals,
        mergedCommands,
        mergedPrefixes,
        mergeConnections(instances.stream().map(ServiceAudit::connections).toList(), windowStart),
        skipped);
  }

  private static SummaryTotals sum(SummaryTotals a, SummaryTotals b) {
    return new SummaryTotals(
        a.commands() + b.commands(),
        a.errors() + b.errors(),
        a.internalCommands() + b.internalCommands(),
        a.connectionsOpened() + b.connectionsOpened(),
        a.connectionsClosed() + b.connectionsClosed());
  }

  static ConnectionSummary mergeConnections(
      List<ConnectionSummary> instances, Instant windowStart) {
    long opened = 0;
    long closed = 0;
    long sampled = 0;
    long lifetimeP99 = 0;
    long commandsP99 = 0;
    WeightedMean lifetimeP50 = new WeightedMean();
    WeightedMean commandsP50 = new WeightedMean();
    Map<String, Long> callSites = new LinkedHashMap<>();
    for (ConnectionSummary connections : instances) {
      opened += connections.opened();
      closed += connections.closed();
      sampled += connections.callSitesSampled();
      lifetimeP99 = Math.max(lifetimeP99, connections.lifetimeP99Millis());
      commandsP99 = Math.max(commandsP99, connections.commandsPerConnectionP99());
      lifetimeP50.add(connections.lifetimeP50Millis(), connections.closed());
      commandsP50.add(connections.commandsPerConnectionP50(), connections.closed());
      for (CallSiteCount site : connections.callSites()) {
        callSites.merge(site.site(), site.count(), Long::sum);
      }
    }
    Instant minutesStart =
        instances.stream()
            .filter(connections -> !connections.opensPerMinute().isEmpty())
            .map(ConnectionSummary::opensPerMinuteStart)
            .min(Instant::compareTo)
            .orElse(windowStart);
    long minutes = 0;
    for (ConnectionSummary connections : instances) {
      minutes = Math.max(minutes, minuteOffset(minutesStart, connections));
    }
    // Only the most recent minutes are kept, so stale instances cannot blow the list up.
    long firstKept = Math.max(0, minutes - FleetAudit.MAX_OPENS_PER_MINUTE);
    long[] opensPerMinute = new long[(int) (minutes - firstKept)];
    for (ConnectionSummary connections : instances) {
      long offset = minuteOffset(minutesStart, connections) - connections.opensPerMinute().size();
      for (long opens : connections.opensPerMinute()) {
        if (offset >= firstKept) {
          opensPerMinute[(int) (offset - firstKept)] += opens;
        }
        offset++;
      }
    }
    List<CallSiteCount> sites =
        callSites.entrySet().stream()
            .map(site -> new CallSiteCount(site.getKey(), site.getValue()))
            .sorted(
                Comparator.comparingLong(CallSiteCount::count)
                    .reversed()
                    .thenComparing(CallSiteCount::site))
            .toList();
    return new ConnectionSummary(
        opened,
        closed,
        lifetimeP50.result(),
        lifetimeP99,
        commandsP50.result(),
        commandsP99,
        minutesStart.plus(Duration.ofMinutes(firstKept)),
        Arrays.stream(opensPerMinute).boxed().toList(),
        sites,
        sampled);
  }

  /** The minute just after an instance's last minute, counted from {@code minutesStart}. */
  private static long minuteOffset(Instant minutesStart, ConnectionSummary connections) {
    if (connections.opensPerMinute().isEmpty()) {
      return 0;
    }
    return Duration.between(minutesStart, connections.opensPerMinuteStart()).toMinutes()
        + connections.opensPerMinute().size();
  }

  private static List<FleetFinding> mergeFindings(List<ServiceAudit> instances) {
    // Per rule, prefix and subject (a command, a hot key), each instance's finding, the most
    // severe first.
    Map<FindingKey, List<Reported>> groups = new LinkedHashMap<>();
    for (int instance = 0; instance < instances.size(); instance++) {
      ServiceAudit audit = instances.get(instance);
      for (Finding finding : audit.findings()) {
        groups
            .computeIfAbsent(
                new FindingKey(finding.rule(), finding.prefix(), finding.subject()),
                key -> new ArrayList<>())
            .add(new Reported(finding, instance, audit.summary().host()));
      }
    }
    String service = instances.get(0).summary().service();
    List<FleetFinding> merged = new ArrayList<>(groups.size());
    for (List<Reported> reports : groups.values()) {
      reports.sort(Comparator.comparing(report -> report.finding().severity()));
      merged.add(mergeFinding(service, reports, instances.size()));
    }
    return merged;
  }

  private static FleetFinding mergeFinding(
      String service, List<Reported> mostSevereFirst, int instances) {
    Finding representative = mostSevereFirst.get(0).finding();
    List<Finding> findings = mostSevereFirst.stream().map(Reported::finding).toList();
    Set<String> callSites = new LinkedHashSet<>();
    Set<String> hosts = new TreeSet<>();
    // An instance may report one rule on one prefix more than once; it counts as one reporter.
    Set<Integer> reporters = new HashSet<>();
    for (Reported report : mostSevereFirst) {
      callSites.addAll(report.finding().callSites());
      hosts.add(report.host());
      reporters.add(report.instance());
    }
    Finding finding =
        new Finding(
            representative.rule(),
            representative.severity(),
            representative.prefix(),
            representative.message(),
            mergeEvidence(findings),
            List.copyOf(callSites),
            representative.recommendation());
    return new FleetFinding(service, finding, reporters.size(), instances, List.copyOf(hosts));
  }

  /** The findings' evidence combined key by key, in first-seen order (see FleetAudit#merge). */
  static Map<String, Object> mergeEvidence(List<Finding> mostSevereFirst) {
    Map<String, Object> merged = new LinkedHashMap<>();
    for (Finding finding : mostSevereFirst) {
      for (Map.Entry<String, Object> entry : finding.evidence().entrySet()) {
        merged.merge(
            entry.getKey(),
            entry.getValue(),
            (kept, other) -> combine(entry.getKey(), kept, other));
      }
    }
    return merged;
  }

  private static Object combine(String key, Object kept, Object other) {
    if (kept instanceof Long a && other instanceof Long b) {
      return isPeak(key) ? Math.max(a, b) : saturatedSum(a, b);
    }
    if (kept instanceof Number a && other instanceof Number b) {
      // A NaN (an unknown value) must not hide the other instance's number.
      if (Double.isNaN(a.doubleValue())) {
        return b.doubleValue();
      }
      if (Double.isNaN(b.doubleValue())) {
        return a.doubleValue();
      }
      return Math.max(a.doubleValue(), b.doubleValue());
    }
    return kept;
  }

  private static long saturatedSum(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  /** Whether an evidence key names a peak, percentile, average, threshold, rate or duration. */
  static boolean isPeak(String key) {
    for (String word : words(key)) {
      if (PEAK_WORDS.contains(word) || word.matches("p\\d+")) {
        return true;
      }
    }
    return false;
  }

  /** The lower-case words of a camel-case, snake-case or kebab-case key. */
  private static List<String> words(String key) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    char previous = ' ';
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean boundary =
          !Character.isLetterOrDigit(c)
              || (Character.isUpperCase(c)
                  && (Character.isLowerCase(previous) || Character.isDigit(previous)));
      if (boundary && word.length() > 0) {
        words.add(word.toString().toLowerCase(Locale.ROOT));
        word.setLength(0);
      }
      if (Character.isLetterOrDigit(c)) {
        word.append(c);
      }
      previous = c;
    }
    if (word.length() > 0) {
      words.add(word.toString().toLowerCase(Locale.ROOT));
    }
    return words;
  }

  private static List<FleetPrefixRow> prefixRows(List<FleetService> services) {
    Map<String, Map<String, PrefixSummary>> byPrefix = new LinkedHashMap<>();
    for (FleetService service : services) {
      for (PrefixSummary prefix : service.prefixes()) {
        byPrefix
            .computeIfAbsent(prefix.prefix(), name -> new LinkedHashMap<>())
            .put(service.service(), prefix);
      }
    }
    List<FleetPrefixRow> rows = new ArrayList<>(byPrefix.size());
    for (Map.Entry<String, Map<String, PrefixSummary>> entry : byPrefix.entrySet()) {
      rows.add(new FleetPrefixRow(entry.getKey(), entry.getValue()));
    }
    rows.sort(
        Comparator.comparingLong(FleetPrefixRow::writesWithoutTtl)
            .reversed()
            .thenComparing(Comparator.comparingLong(FleetPrefixRow::readsAndWrites).reversed())
            .thenComparing(FleetPrefixRow::prefix));
    return rows;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** What makes findings of one service the same finding. */
  private record FindingKey(AuditRule rule, String prefix, String subject) {}

  /** A finding, the index of the instance that reported it and that instance's host. */
  private record Reported(Finding finding, int instance, String host) {}

  /** A mean of values weighted by counts; the plain mean when every weight is zero. */
  private static final class WeightedMean {
    private double weightedSum;
    private double weights;
    private double plainSum;
    private int values;

    void add(long value, long weight) {
      weightedSum += (double) value * weight;
      weights += weight;
      plainSum += value;
      values++;
    }

    long result() {
      if (values == 0) {
        return 0;
      }
      return Math.round(weights > 0 ? weightedSum / weights : plainSum / values);
    }
  }

  private static final class CommandMerge {
    private final String name;
    private final WeightedMean p50 = new WeightedMean();
    private long count;
    private long errors;
    private long p99;

    CommandMerge(String name) {
      this.name = name;
    }

    void add(CommandSummary command) {
      count += command.count();
      errors += command.errors();
      p50.add(command.p50Micros(), command.count());
      p99 = Math.max(p99, command.p99Micros());
    }

    CommandSummary summary() {
      return new CommandSummary(name, count, errors, p50.result(), p99);
    }
  }

  private static final class PrefixMerge {
    private final String prefix;
    private final WeightedMean p50 = new WeightedMean();
    private long reads;
    private long writes;
    private long writesWithoutTtl;
    private long writesWithTtl;
    private long writesWithTtlLater;
    private long bytesWritten;
    private long p99;

    PrefixMerge(String prefix) {
      this.prefix = prefix;
    }

    void add(PrefixSummary summary) {
      reads += summary.reads();
      writes += summary.writes();
      writesWithoutTtl += summary.writesWithoutTtl();
      writesWithTtl += summary.writesWithTtl();
      writesWithTtlLater += summary.writesWithTtlLater();
      bytesWritten += summary.bytesWritten();
      p50.add(summary.p50Micros(), summary.reads() + summary.writes());
      p99 = Math.max(p99, summary.p99Micros());
    }

    PrefixSummary summary() {
      return new PrefixSummary(
          prefix,
          reads,
          writes,
          writesWithoutTtl,
          writesWithTtl,
          writesWithTtlLater,
          bytesWritten,
          p50.result(),
          p99);
    }
  }
}
