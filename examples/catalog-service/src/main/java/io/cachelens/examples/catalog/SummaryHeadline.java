package io.cachelens.examples.catalog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the headline figures of a CacheLens summary file ({@code cachelens.summary/v1}) for the
 * demo, with no tool beyond the JDK: totals, the busiest commands, and a per-prefix table that
 * points at writes without a TTL.
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
      summary = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
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

  /** A small JSON reader: objects, arrays, strings, numbers, booleans and null. */
  static final class Json {
    private final String text;
    private int at;

    private Json(String text) {
      this.text = text;
    }

    /**
     * Parses one JSON document into maps, lists, strings, {@link Long} or {@link Double}, booleans
     * and null.
     *
     * @throws IllegalArgumentException on malformed input
     */
    static Object parse(String text) {
      Json json = new Json(text);
      Object value = json.value();
      json.skipSpace();
      if (json.at != text.length()) {
        throw json.error("unexpected text after the document");
      }
      return value;
    }

    private Object value() {
      skipSpace();
      if (at >= text.length()) {
        throw error("unexpected end of input");
      }
      char c = text.charAt(at);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected character '" + c + "'");
      }
    }

    private Map<String, Object> object() {
      Map<String, Object> map = new LinkedHashMap<>();
      at++;
      skipSpace();
      if (peek() == '}') {
        at++;
        return map;
      }
      while (true) {
        skipSpace();
        if (peek() != '"') {
          throw error("expected a field name");
        }
        String name = string();
        skipSpace();
        expect(':');
        map.put(name, value());
        skipSpace();
        char next = peek();
        at++;
        if (next == '}') {
          return map;
        }
        if (next != ',') {
          throw error("expected ',' or '}'");
        }
      }
    }

    private List<Object> array() {
      List<Object> list = new ArrayList<>();
      at++;
      skipSpace();
      if (peek() == ']') {
        at++;
        return list;
      }
      while (true) {
        list.add(value());
        skipSpace();
        char next = peek();
        at++;
        if (next == ']') {
          return list;
        }
        if (next != ',') {
          throw error("expected ',' or ']'");
        }
      }
    }

    private String string() {
      at++;
      StringBuilder out = new StringBuilder();
      while (true) {
        if (at >= text.length()) {
          throw error("unterminated string");
        }
        char c = text.charAt(at++);
        if (c == '"') {
          return out.toString();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (at >= text.length()) {
          throw error("unterminated escape");
        }
        char escaped = text.charAt(at++);
        switch (escaped) {
          case '"', '\\', '/' -> out.append(escaped);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            if (at + 4 > text.length()) {
              throw error("short \\u escape");
            }
            try {
              out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            } catch (NumberFormatException e) {
              throw error("bad \\u escape");
            }
            at += 4;
          }
          default -> throw error("bad escape \\" + escaped);
        }
      }
    }

    private Object number() {
      int start = at;
      if (peek() == '-') {
        at++;
      }
      boolean integral = true;
      while (at < text.length()) {
        char c = text.charAt(at);
        if (c >= '0' && c <= '9') {
          at++;
        } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
          integral = false;
          at++;
        } else {
          break;
        }
      }
      String digits = text.substring(start, at);
      try {
        if (integral) {
          return Long.parseLong(digits);
        }
        return Double.parseDouble(digits);
      } catch (NumberFormatException e) {
        throw error("bad number '" + digits + "'");
      }
    }

    private Object literal(String word, Object value) {
      if (!text.startsWith(word, at)) {
        throw error("unexpected token");
      }
      at += word.length();
      return value;
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      at++;
    }

    private char peek() {
      if (at >= text.length()) {
        throw error("unexpected end of input");
      }
      return text.charAt(at);
    }

    private void skipSpace() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    private IllegalArgumentException error(String message) {
      return new IllegalArgumentException(message + " at offset " + at);
    }
  }
}
