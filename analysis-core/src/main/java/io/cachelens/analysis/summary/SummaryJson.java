package io.cachelens.analysis.summary;

import io.cachelens.analysis.json.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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
 *      "writesWithTtl": 150, "writesWithoutTtl": 50, "p50Micros": 190, "p99Micros": 990}
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
    json.name("service").value(summary.service());
    json.name("host").value(summary.host());
    json.name("pid").value(summary.pid());

    json.name("window").beginObject();
    json.name("start").value(summary.windowStart().toString());
    json.name("end").value(summary.windowEnd().toString());
    json.endObject();

    SummaryTotals totals = summary.totals();
    json.name("totals").beginObject();
    json.name("commands").value(totals.commands());
    json.name("errors").value(totals.errors());
    json.name("internalCommands").value(totals.internalCommands());
    json.name("connectionsOpened").value(totals.connectionsOpened());
    json.name("connectionsClosed").value(totals.connectionsClosed());
    json.endObject();

    json.name("commands").beginArray();
    for (CommandSummary command : summary.commands()) {
      json.beginObject();
      json.name("name").value(command.name());
      json.name("count").value(command.count());
      json.name("errors").value(command.errors());
      json.name("p50Micros").value(command.p50Micros());
      json.name("p99Micros").value(command.p99Micros());
      json.endObject();
    }
    json.endArray();

    json.name("prefixes").beginArray();
    for (PrefixSummary prefix : summary.prefixes()) {
      json.beginObject();
      json.name("prefix").value(prefix.prefix());
      json.name("reads").value(prefix.reads());
      json.name("writes").value(prefix.writes());
      json.name("writesWithTtl").value(prefix.writesWithTtl());
      json.name("writesWithoutTtl").value(prefix.writesWithoutTtl());
      json.name("p50Micros").value(prefix.p50Micros());
      json.name("p99Micros").value(prefix.p99Micros());
      json.endObject();
    }
    json.endArray();

    json.endObject();
    return text.append('\n').toString();
  }

  /**
   * Writes the summary as UTF-8 JSON to {@code file}, replacing it atomically: the JSON goes to a
   * temporary file in the same directory, which is then moved over {@code file}. Creates the
   * directory when missing. Where the file system cannot move atomically, falls back to a plain
   * replacing move.
   *
   * @throws UncheckedIOException when the directory or file cannot be written; no temporary file is
   *     left behind
   */
  public static void writeAtomically(ServiceSummary summary, Path file) {
    byte[] content = toJson(summary).getBytes(StandardCharsets.UTF_8);
    Path target = file.toAbsolutePath();
    Path directory = target.getParent();
    Path temporary = null;
    try {
      Files.createDirectories(directory);
      temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
      Files.write(temporary, content);
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temporary = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write summary to " + file, e);
    } finally {
      deleteQuietly(temporary);
    }
  }

  private static void deleteQuietly(Path temporary) {
    if (temporary == null) {
      return;
    }
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      // The write already failed; that failure is the one worth reporting.
    }
  }
}
