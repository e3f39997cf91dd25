package io.cachelens.analysis.report;

import io.cachelens.analysis.audit.AuditRule;
import io.cachelens.analysis.audit.CallSiteCount;
import io.cachelens.analysis.audit.ConnectionSummary;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.audit.Severity;
import io.cachelens.analysis.json.JsonReader;
import io.cachelens.analysis.summary.CommandSummary;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.analysis.summary.ServiceSummary;
import io.cachelens.analysis.summary.SummaryJson;
import io.cachelens.analysis.summary.SummaryTotals;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads a JSON audit back into a {@link ServiceAudit}: the {@value AuditJson#SCHEMA} document that
 * {@link AuditJson} writes, or the older {@value SummaryJson#SCHEMA} document of {@link
 * SummaryJson}.
 *
 * <p>Strict about what it needs: a wrong or missing schema, a missing member, a value of the wrong
 * type, a negative count all throw an {@link IllegalArgumentException} whose message starts with
 * the member's path, e.g. {@code findings[2].severity: expected a string, found 3}. Members it does
 * not know are ignored, so a newer writer's additions do not break it; and so is a finding whose
 * {@code rule} or {@code severity} (a string) this version does not know, which a newer agent may
 * write: it is left out, unread beyond those two members, and counted in {@link
 * ServiceAudit#skippedFindings} by reason ({@code rule CACHE_STAMPEDE}, {@code severity notice}; at
 * most {@value #MAX_SKIP_REASONS} reasons, further ones counted as {@code other}).
 *
 * <p>A summary document has no {@code connections} and no {@code findings}: it reads as {@link
 * ConnectionSummary#none} at the window's start and no findings, and its prefixes may lack {@code
 * writesWithTtlLater} and {@code bytesWritten}, which then read as 0.
 *
 * <p>An evidence value of {@code null} reads as {@link Double#NaN}: that is how {@link
 * io.cachelens.analysis.json.JsonWriter} writes a NaN or infinite double.
 */
public final class AuditJsonReader {

  /** How many distinct reasons for skipping findings are kept apart; the rest count as other. */
  public static final int MAX_SKIP_REASONS = 16;

  private AuditJsonReader() {}

  /** Whether {@code schema} names a document this reader reads. */
  public static boolean readsSchema(Object schema) {
    return AuditJson.SCHEMA.equals(schema) || SummaryJson.SCHEMA.equals(schema);
  }

  /**
   * Parses an audit or summary document.
   *
   * @throws IllegalArgumentException when {@code json} is malformed or is not a valid audit or
   *     summary; the message names the offending member's path
   */
  public static ServiceAudit parse(String json) {
    return read(JsonReader.parseObject(json));
  }

  /**
   * Reads an audit or summary document already parsed by {@link JsonReader}.
   *
   * @throws IllegalArgumentException as {@link #parse} does
   */
  public static ServiceAudit read(Map<String, Object> document) {
    Node root = new Node("", document);
    String schema = root.string("schema");
    if (!readsSchema(schema)) {
      throw root.error(
          "schema",
          "expected \""
              + AuditJson.SCHEMA
              + "\" or \""
              + SummaryJson.SCHEMA
              + "\", found "
              + show(schema));
    }
    boolean summaryOnly = schema.equals(SummaryJson.SCHEMA);

    // Members are read in the order the writer puts them, so the first problem is reported.
    String service = root.string("service");
    String host = root.string("host");
    long pid = root.count("pid");
    Node window = root.object("window");
    Instant windowStart = window.instant("start");
    ServiceSummary summary =
        new ServiceSummary(
            service,
            host,
            pid,
            windowStart,
            window.instant("end"),
            totals(root.object("totals")),
            root.objects("commands").stream().map(AuditJsonReader::command).toList(),
            root.objects("prefixes").stream().map(prefix -> prefix(prefix, summaryOnly)).toList());
    if (summaryOnly) {
      return new ServiceAudit(summary, ConnectionSummary.none(windowStart), List.of());
    }
    ConnectionSummary connections = connections(root.object("connections"));
    List<Finding> findings = new ArrayList<>();
    Map<String, Long> skipped = new TreeMap<>();
    for (Node finding : root.objects("findings")) {
      String unknown = unknownRuleOrSeverity(finding);
      if (unknown == null) {
        findings.add(finding(finding));
      } else {
        String reason =
            skipped.containsKey(unknown) || skipped.size() < MAX_SKIP_REASONS ? unknown : "other";
        skipped.merge(reason, 1L, Long::sum);
      }
    }
    return new ServiceAudit(summary, connections, findings, skipped);
  }

  /**
   * Why a finding is one this version cannot read ({@code rule X}, {@code severity y}), or null
   * when it knows its rule and severity.
   */
  private static String unknownRuleOrSeverity(Node finding) {
    String rule = finding.string("rule");
    if (!knows(AuditRule.class, AuditRule::name, rule)) {
      return "rule " + clip(rule);
    }
    String severity = finding.string("severity");
    if (!knows(Severity.class, Severity::label, severity)) {
      return "severity " + clip(severity);
    }
    return null;
  }

  private static <E extends Enum<E>> boolean knows(
      Class<E> type, Function<E, String> label, String text) {
    for (E candidate : type.getEnumConstants()) {
      if (label.apply(candidate).equals(text)) {
        return true;
      }
    }
    return false;
  }

  private static String clip(String text) {
    return text.length() > 60 ? text.substring(0, 60) + "..." : text;
  }

  private static SummaryTotals totals(Node totals) {
    return new SummaryTotals(
        totals.count("commands"),
        totals.count("errors"),
        totals.count("internalCommands"),
        totals.count("connectionsOpened"),
        totals.count("connectionsClosed"));
  }

  private static CommandSummary command(Node command) {
    return new CommandSummary(
        command.string("name"),
        command.count("count"),
        command.count("errors"),
        command.count("p50Micros"),
        command.count("p99Micros"));
  }

  private static PrefixSummary prefix(Node prefix, boolean summaryOnly) {
    // Summaries written before the audit existed lack the two counters the audit added.
    long writesWithTtlLater =
        summaryOnly ? prefix.countOrZero("writesWithTtlLater") : prefix.count("writesWithTtlLater");
    long bytesWritten =
        summaryOnly ? prefix.countOrZero("bytesWritten") : prefix.count("bytesWritten");
    return new PrefixSummary(
        prefix.string("prefix"),
        prefix.count("reads"),
        prefix.count("writes"),
        prefix.count("writesWithoutTtl"),
        prefix.count("writesWithTtl"),
        writesWithTtlLater,
        bytesWritten,
        prefix.count("p50Micros"),
        prefix.count("p99Micros"));
  }

  private static ConnectionSummary connections(Node connections) {
    return new ConnectionSummary(
        connections.count("opened"),
        connections.count("closed"),
        connections.count("lifetimeP50Millis"),
        connections.count("lifetimeP99Millis"),
        connections.count("commandsPerConnectionP50"),
        connections.count("commandsPerConnectionP99"),
        connections.instant("opensPerMinuteStart"),
        connections.counts("opensPerMinute"),
        connections.objects("callSites").stream()
            .map(site -> new CallSiteCount(site.string("site"), site.count("count")))
            .toList(),
        connections.count("callSitesSampled"));
  }

  private static Finding finding(Node finding) {
    return new Finding(
        finding.constant("rule", AuditRule.class, AuditRule::name),
        finding.constant("severity", Severity.class, Severity::label),
        finding.nullableString("prefix"),
        finding.string("message"),
        finding.evidence("evidence"),
        finding.strings("callSites"),
        finding.string("recommendation"));
  }

  private static String show(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String text) {
      return '"' + (text.length() > 60 ? text.substring(0, 60) + "..." : text) + '"';
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "an array";
    }
    return value.toString();
  }

  /** One object of the document and its path, for messages that say where the problem is. */
  private record Node(String path, Map<String, Object> members) {

    String pathOf(String name) {
      return path.isEmpty() ? name : path + "." + name;
    }

    IllegalArgumentException error(String name, String problem) {
      return new IllegalArgumentException(pathOf(name) + ": " + problem);
    }

    private Object required(String name) {
      if (!members.containsKey(name)) {
        throw error(name, "missing");
      }
      return members.get(name);
    }

    String string(String name) {
      Object value = required(name);
      if (value instanceof String text) {
        return text;
      }
      throw error(name, "expected a string, found " + show(value));
    }

    String nullableString(String name) {
      Object value = required(name);
      if (value == null || value instanceof String) {
        return (String) value;
      }
      throw error(name, "expected a string or null, found " + show(value));
    }

    long count(String name) {
      return countAt(pathOf(name), required(name));
    }

    long countOrZero(String name) {
      return members.containsKey(name) ? count(name) : 0;
    }

    Instant instant(String name) {
      String text = string(name);
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw error(name, "expected an ISO-8601 instant, found " + show(text));
      }
    }

    Node object(String name) {
      return objectAt(pathOf(name), required(name));
    }

    List<Node> objects(String name) {
      List<?> elements = array(name);
      List<Node> nodes = new ArrayList<>(elements.size());
      for (int i = 0; i < elements.size(); i++) {
        nodes.add(objectAt(pathOf(name) + "[" + i + "]", elements.get(i)));
      }
      return nodes;
    }

    List<Long> counts(String name) {
      List<?> elements = array(name);
      List<Long> counts = new ArrayList<>(elements.size());
      for (int i = 0; i < elements.size(); i++) {
        counts.add(countAt(pathOf(name) + "[" + i + "]", elements.get(i)));
      }
      return counts;
    }

    List<String> strings(String name) {
      List<?> elements = array(name);
      List<String> strings = new ArrayList<>(elements.size());
      for (int i = 0; i < elements.size(); i++) {
        if (!(elements.get(i) instanceof String text)) {
          throw new IllegalArgumentException(
              pathOf(name) + "[" + i + "]: expected a string, found " + show(elements.get(i)));
        }
        strings.add(text);
      }
      return strings;
    }

    Map<String, Object> evidence(String name) {
      Node evidence = object(name);
      Map<String, Object> values = new LinkedHashMap<>();
      for (Map.Entry<String, Object> member : evidence.members().entrySet()) {
        Object value = member.getValue();
        if (value == null) {
          values.put(member.getKey(), Double.NaN);
        } else if (value instanceof Long || value instanceof Double || value instanceof String) {
          values.put(member.getKey(), value);
        } else {
          throw evidence.error(
              member.getKey(), "expected a number, a string or null, found " + show(value));
        }
      }
      return values;
    }

    <E extends Enum<E>> E constant(String name, Class<E> type, Function<E, String> label) {
      String text = string(name);
      for (E candidate : type.getEnumConstants()) {
        if (label.apply(candidate).equals(text)) {
          return candidate;
        }
      }
      throw error(
          name,
          "expected one of "
              + Arrays.stream(type.getEnumConstants()).map(label).collect(Collectors.joining(", "))
              + ", found "
              + show(text));
    }

    private List<?> array(String name) {
      Object value = required(name);
      if (value instanceof List<?> elements) {
        return elements;
      }
      throw error(name, "expected an array, found " + show(value));
    }

    @SuppressWarnings("unchecked") // JsonReader's objects are always maps of String to value
    private static Node objectAt(String path, Object value) {
      if (value instanceof Map<?, ?>) {
        return new Node(path, (Map<String, Object>) value);
      }
      throw new IllegalArgumentException(path + ": expected an object, found " + show(value));
    }

    private static long countAt(String path, Object value) {
      if (value instanceof Long number) {
        if (number < 0) {
          throw new IllegalArgumentException(
              path + ": expected a non-negative integer, found " + number);
        }
        return number;
      }
      throw new IllegalArgumentException(path + ": expected an integer, found " + show(value));
    }
  }
}
