package io.cachelens.examples.catalog;

import io.cachelens.analysis.json.JsonReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the headline figures of a CacheLens summary file ({@code cachelens.audit/v1}) for the
 * demo, with no tool beyond the JDK and this jar: totals, the busiest commands, and a per-prefix
 * table that points at writes without a TTL. The file is read with analysis-core's {@link
 * JsonReader}.
 *
 * <p>Usage: {@code java -cp catalog-service.jar io.cachelens.examples.catalog.SummaryHeadline
 * <summary.json>}. Exit status 0, or 1 when the file cannot be read or is not a summary.
 */
public final class SummaryHeadline {

  private static final String NO_TTL_PREFIX = "product:cache:*";

  private SummaryHeadline() {}

  /** Prints the headline of the summary file named by the only argument. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Does what {@link #main} does and returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 1) {
      err.println("usage: SummaryHeadline <summary.json>");
      return 1;
    }
    Path file = Path.of(args[0]);
    Object summary;
    try {
      summary = JsonReader.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      err.println("cannot read " + file + ": " + e);
      return 1;
    } catch (IllegalArgumentException e) {
      err.println(file + " is not valid JSON: " + e.getMessage());
      return 1;
    }
    if (!(summary instanceof Map<?, ?> root)) {
      err.println(file + " does not hold a JSON object");
      return 1;
    }
    print(root, out);
    return 0;
  }

  /** Renders the headline of a parsed summary. */
  static void print(Map<?, ?> summary, PrintStream out) {
    Map<?, ?> totals = object(summary.get("totals"));
    Map<?, ?> window = object(summary.get("window"));

    out.printf(
        Locale.ROOT,
        "CacheLens summary (%s) for service '%s' on host %s, pid %s%n",
        text(summary.get("schema")),
        text(summary.get("service")),
        text(summary.get("host")),
        text(summary.get("pid")));
    out.printf(
        Locale.ROOT,
        "  window       %s .. %s%n",
        text(window.get("start")),
        text(window.get("end")));
    out.printf(
        Locale.ROOT,
        "  commands     %s (plus %s internal)%n",
        text(totals.get("commands")),
        text(totals.get("internalCommands")));
    out.printf(Locale.ROOT, "  errors       %s%n", text(totals.get("errors")));
    out.printf(
        Locale.ROOT,
        "  connections  %s opened, %s closed%n",
        text(totals.get("connectionsOpened")),
        text(totals.get("connectionsClosed")));

    List<Map<?, ?>> commands = objects(summary.get("commands"));
    if (!commands.isEmpty()) {
      commands.sort(Comparator.comparingLong((Map<?, ?> c) -> number(c.get("count"))).reversed());
      StringBuilder busiest = new StringBuilder("  busiest      ");
      for (int i = 0; i < Math.min(5, commands.size()); i++) {
        Map<?, ?> command = commands.get(i);
        if (i > 0) {
          busiest.append(", ");
        }
        busiest.append(text(command.get("name"))).append(' ').append(text(command.get("count")));
        busiest.append(" (p99 ").append(text(command.get("p99Micros"))).append(" us)");
      }
      out.println(busiest);
    }

    List<Map<?, ?>> prefixes = objects(summary.get("prefixes"));
    out.println();
    if (prefixes.isEmpty()) {
      out.println("  no key prefixes in the summary");
      return;
    }
    int width = "prefix".length();
    for (Map<?, ?> prefix : prefixes) {
      width = Math.max(width, text(prefix.get("prefix")).length());
    }
    String row = "  %-" + width + "s %9s %9s %9s %14s  %s";
    out.println(
        String.format(Locale.ROOT, row, "prefix", "reads", "writes", "with TTL", "without TTL", "")
            .stripTrailing());
    List<String> warnings = new ArrayList<>();
    for (Map<?, ?> prefix : prefixes) {
      String name = text(prefix.get("prefix"));
      long writes = number(prefix.get("writes"));
      long withTtl = number(prefix.get("writesWithTtl"));
      long withoutTtl = number(prefix.get("writesWithoutTtl"));
      String mark = "";
      // Only a prefix that never got a TTL is flagged: where some writes do set one (INCR then
      // EXPIRE, say), the writes without one may still end up on keys that expire.
      if (withoutTtl > 0 && withTtl == 0) {
        mark = "<== no write set a TTL";
        warnings.add(
            String.format(
                Locale.ROOT,
                "  !! %s: %d of %d writes set no TTL and none set one: these keys never expire%s",
                name,
                withoutTtl,
                writes,
                name.equals(NO_TTL_PREFIX)
                    ? " and fill memory (the product cache bug from the write-ups)."
                    : "."));
      }
      out.println(
          String.format(
                  Locale.ROOT,
                  row,
                  name,
                  text(prefix.get("reads")),
                  text(prefix.get("writes")),
                  text(prefix.get("writesWithTtl")),
                  text(prefix.get("writesWithoutTtl")),
                  mark)
              .stripTrailing());
    }
    if (!warnings.isEmpty()) {
      out.println();
      warnings.forEach(out::println);
    }
  }

  private static Map<?, ?> object(Object value) {
    return value instanceof Map<?, ?> map ? map : Map.of();
  }

  private static List<Map<?, ?>> objects(Object value) {
    List<Map<?, ?>> result = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> map) {
          result.add(map);
        }
      }
    }
    return result;
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : 0;
  }

  private static String text(Object value) {
    if (value == null) {
      return "?";
    }
    if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      return Long.toString(d.longValue());
    }
    return value.toString();
  }
}
