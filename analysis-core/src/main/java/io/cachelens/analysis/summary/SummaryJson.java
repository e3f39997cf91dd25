package io.cachelens.analysis.summary;

import io.cachelens.analysis.json.JsonWriter;
import io.cachelens.analysis.report.ReportFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders a {@link ServiceSummary} as JSON and writes it so that readers never see a partial file.
 *
 * <p>Shape (schema {@value #SCHEMA}); times are ISO-8601 instants in UTC, latencies whole
 * microseconds:
 *
 * <pre>{@code
 * {
 *   "schema": "cachelens.summary/v1",
 *   "service": "checkout",
 *   "host": "web-1",
 *   "pid": 4242,
 *   "window": {"start": "2025-01-01T10:00:00Z", "end": "2025-01-01T10:01:00Z"},
 *   "totals": {
 *     "commands": 1200, "errors": 3, "internalCommands": 12,
 *     "connectionsOpened": 8, "connectionsClosed": 2
 *   },
 *   "commands": [
 *     {"name": "GET", "count": 1000, "errors": 1, "p50Micros": 180, "p99Micros": 950}
 *   ],
 *   "prefixes": [
 *     {"prefix": "product:cache:*", "reads": 1000, "writes": 200,
 *      "writesWithTtl": 150, "writesWithoutTtl": 50, "writesWithTtlLater": 0,
 *      "bytesWritten": 51200, "p50Micros": 190, "p99Micros": 990}
 *   ]
 * }
 * }</pre>
 *
 * <p>{@code commands} is sorted by count descending, then name; {@code prefixes} by total commands
 * descending, then prefix. The output is pretty-printed with a two-space indent and ends with a
 * newline.
 */
public final class SummaryJson {

  /** The value of the {@code schema} field. */
  public static final String SCHEMA = "cachelens.summary/v1";

  private SummaryJson() {}

  /** The summary as a JSON document. */
  public static String toJson(ServiceSummary summary) {
    StringBuilder text = new StringBuilder(1024);
    JsonWriter json = new JsonWriter(text, true);
    json.beginObject();
    json.name("schema").value(SCHEMA);
    writeFields(json, summary);
    json.endObject();
    return text.append('\n').toString();
  }

  /**
   * Writes the summary's fields, from {@code service} to {@code prefixes}, into an open object; the
   * audit's document starts with them.
   */
  public static void writeFields(JsonWriter json, ServiceSummary summary) {
    json.name("service").value(summary.service());
    json.name("host").value(summary.host());
    json.name("pid").value(summary.pid());

    json.name("window").beginObject();
    json.name("start").value(summary.windowStart().toString());
    json.name("end").value(summary.windowEnd().toString());
    json.endObject();

    writeTotals(json, summary.totals());
    writeCommands(json, summary.commands());
    writePrefixes(json, summary.prefixes());
  }

  /** Writes the {@code totals} member. */
  public static void writeTotals(JsonWriter json, SummaryTotals totals) {
    json.name("totals").beginObject();
    json.name("commands").value(totals.commands());
    json.name("errors").value(totals.errors());
    json.name("internalCommands").value(totals.internalCommands());
    json.name("connectionsOpened").value(totals.connectionsOpened());
    json.name("connectionsClosed").value(totals.connectionsClosed());
    json.endObject();
  }

  /** Writes the {@code commands} member. */
  public static void writeCommands(JsonWriter json, List<CommandSummary> commands) {
    json.name("commands").beginArray();
    for (CommandSummary command : commands) {
      json.beginObject();
      json.name("name").value(command.name());
      json.name("count").value(command.count());
      json.name("errors").value(command.errors());
      json.name("p50Micros").value(command.p50Micros());
      json.name("p99Micros").value(command.p99Micros());
      json.endObject();
    }
    json.endArray();
  }

  /** Writes the {@code prefixes} member. */
  public static void writePrefixes(JsonWriter json, List<PrefixSummary> prefixes) {
    json.name("prefixes").beginArray();
    for (PrefixSummary prefix : prefixes) {
      json.beginObject();
      json.name("prefix").value(prefix.prefix());
      json.name("reads").value(prefix.reads());
      json.name("writes").value(prefix.writes());
      json.name("writesWithTtl").value(prefix.writesWithTtl());
      json.name("writesWithoutTtl").value(prefix.writesWithoutTtl());
      json.name("writesWithTtlLater").value(prefix.writesWithTtlLater());
      json.name("bytesWritten").value(prefix.bytesWritten());
      json.name("p50Micros").value(prefix.p50Micros());
      json.name("p99Micros").value(prefix.p99Micros());
      json.endObject();
    }
    json.endArray();
  }

  /**
   * Writes the summary as UTF-8 JSON to {@code file}, replacing it atomically (see {@link
   * ReportFiles#writeAtomically}).
   *
   * @throws java.io.UncheckedIOException when the directory or file cannot be written
   */
  public static void writeAtomically(ServiceSummary summary, Path file) {
    ReportFiles.writeAtomically(file, toJson(summary));
  }
}
