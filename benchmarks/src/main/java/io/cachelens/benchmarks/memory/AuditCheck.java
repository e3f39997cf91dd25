package io.cachelens.benchmarks.memory;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the audit JSON a workload run left behind: that it is valid JSON by a parser other than
 * the project's own (strict UTF-8, then Gson in {@link Strictness#STRICT} mode, RFC 8259, with no
 * duplicate member names and nothing after the document), that the project's {@code
 * AuditJsonReader} accepts it when analysis-core is on the class path, and that its numbers match
 * what the workload says it sent.
 */
public final class AuditCheck {

  /** One check and whether it held. */
  public record Result(String name, boolean ok, String detail) {}

  private static final Set<String> RULES =
      Set.of(
          "NO_TTL_WRITES",
          "CONNECTION_CHURN",
          "DANGEROUS_COMMAND",
          "BIG_VALUE",
          "HOT_KEY",
          "ROUND_TRIP_STORM",
          "SLOW_COMMAND");

  private final List<Result> results = new ArrayList<>();

  private AuditCheck() {}

  /**
   * Checks {@code file} against what the workload reported in its {@code done} line.
   *
   * @param sent the {@code done} line's fields: commands, GET, SET, INCR, EXPIRE, PING,
   *     connections_kept, connections_abandoned, prefixes
   * @param prefixLimit the agent's {@code cachelens.prefix.limit}
   * @param valueBytes the size of every SET value
   */
  public static List<Result> check(
      Path file, Map<String, String> sent, int prefixLimit, int valueBytes) {
    AuditCheck check = new AuditCheck();
    try {
      check.run(file, sent, prefixLimit, valueBytes);
    } catch (RuntimeException e) {
      check.add("audit has the members checked", false, e.toString());
    }
    return check.results;
  }

  private void run(Path file, Map<String, String> sent, int prefixLimit, int valueBytes) {
    String text;
    try {
      byte[] bytes = Files.readAllBytes(file);
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      add("well-formed UTF-8", true, String.format(Locale.ROOT, "%,d bytes", bytes.length));
    } catch (CharacterCodingException e) {
      add("well-formed UTF-8", false, e.toString());
      return;
    } catch (IOException e) {
      add("audit file readable", false, file + ": " + e);
      return;
    }
    Map<String, Object> audit;
    try {
      Object document = parseStrict(text);
      if (!(document instanceof Map)) {
        add("strict JSON (Gson STRICT, no duplicate names)", false, "not an object");
        return;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> object = (Map<String, Object>) document;
      audit = object;
      add("strict JSON (Gson STRICT, no duplicate names)", true, "parsed");
    } catch (IOException | RuntimeException e) {
      add("strict JSON (Gson STRICT, no duplicate names)", false, e.getMessage());
      return;
    }
    projectReader(text);

    long gets = number(sent, "GET");
    long sets = number(sent, "SET");
    long incrs = number(sent, "INCR");
    long expires = number(sent, "EXPIRE");
    long pings = number(sent, "PING");
    long keyed = gets + sets + incrs + expires;

    add("schema", "cachelens.audit/v1".equals(audit.get("schema")), show(audit.get("schema")));
    Map<String, Object> totals = object(audit, "totals");
    equal("totals.commands", number(totals, "commands"), number(sent, "commands"));
    equal("totals.errors", number(totals, "errors"), 0);

    Map<String, Long> byName = new LinkedHashMap<>();
    for (Map<String, Object> command : array(audit, "commands")) {
      byName.put((String) command.get("name"), number(command, "count"));
    }
    equal(
        "commands by name",
        byName,
        Map.of("GET", gets, "SET", sets, "INCR", incrs, "EXPIRE", expires, "PING", pings));

    List<Map<String, Object>> prefixes = array(audit, "prefixes");
    add(
        "prefixes capped",
        prefixes.size() <= prefixLimit,
        prefixes.size() + " listed, limit " + prefixLimit);
    Pattern literal = Pattern.compile("tenant[a-z]{4,}:cart:\\*");
    List<String> unexpected = new ArrayList<>();
    long reads = 0;
    long writes = 0;
    long withTtl = 0;
    long withoutTtl = 0;
    long withTtlLater = 0;
    long bytesWritten = 0;
    Map<String, Object> other = null;
    for (Map<String, Object> prefix : prefixes) {
      String name = (String) prefix.get("prefix");
      if ("<other>".equals(name)) {
        other = prefix;
      } else if (!literal.matcher(name).matches()) {
        unexpected.add(name);
      }
      reads += number(prefix, "reads");
      writes += number(prefix, "writes");
      withTtl += number(prefix, "writesWithTtl");
      withoutTtl += number(prefix, "writesWithoutTtl");
      withTtlLater += number(prefix, "writesWithTtlLater");
      bytesWritten += number(prefix, "bytesWritten");
    }
    add(
        "every prefix is tenant<letters>:cart:* or <other>",
        unexpected.isEmpty(),
        unexpected.isEmpty() ? prefixes.size() + " prefixes" : "unexpected: " + unexpected);
    boolean overflow = number(sent, "prefixes") > prefixLimit - 2;
    add(
        "<other> present with the overflow",
        !overflow || (other != null && number(other, "reads") + number(other, "writes") > 0),
        other == null
            ? "absent"
            : String.format(
                Locale.ROOT, "%,d commands", number(other, "reads") + number(other, "writes")));
    equal("prefixes: reads = GET", reads, gets);
    equal("prefixes: writes = SET + INCR + EXPIRE", writes, sets + incrs + expires);
    equal("prefixes: writesWithTtl = EXPIRE", withTtl, expires);
    equal(
        "prefixes: writesWithoutTtl + writesWithTtlLater = SET + INCR",
        withoutTtl + withTtlLater,
        sets + incrs);
    add(
        "prefixes: writesWithTtlLater <= INCR",
        withTtlLater <= incrs,
        String.format(Locale.ROOT, "%,d of %,d INCR", withTtlLater, incrs));
    equal("prefixes: bytesWritten = SET x value", bytesWritten, sets * valueBytes);
    equal("prefixes: reads + writes = keyed commands", reads + writes, keyed);

    Map<String, Object> connections = object(audit, "connections");
    long opened = number(sent, "connections_kept") + number(sent, "connections_abandoned");
    equal("connections.opened", number(connections, "opened"), opened);
    equal("connections.closed (none ever closed)", number(connections, "closed"), 0);
    equal("totals.connectionsOpened", number(totals, "connectionsOpened"), opened);

    List<String> badFindings = new ArrayList<>();
    boolean noTtlOnOther = false;
    boolean hotKey = false;
    List<Map<String, Object>> findings = array(audit, "findings");
    for (Map<String, Object> finding : findings) {
      String rule = (String) finding.get("rule");
      if (!RULES.contains(rule)
          || !Set.of("critical", "warning", "info").contains(finding.get("severity"))) {
        badFindings.add(rule + "/" + finding.get("severity"));
      }
      if ("NO_TTL_WRITES".equals(rule) && "<other>".equals(finding.get("prefix"))) {
        noTtlOnOther = true;
      }
      if ("HOT_KEY".equals(rule)) {
        hotKey = true;
      }
    }
    add(
        "findings have known rules and severities",
        badFindings.isEmpty(),
        findings.size() + " findings" + (badFindings.isEmpty() ? "" : ", bad: " + badFindings));
    add("NO_TTL_WRITES on <other>", !overflow || noTtlOnOther, noTtlOnOther ? "present" : "absent");
    add("no HOT_KEY (every key is distinct)", !hotKey, hotKey ? "present" : "absent");
  }

  /** {@code io.cachelens.analysis.report.AuditJsonReader.parse}, if analysis-core is here. */
  private void projectReader(String text) {
    Class<?> reader;
    try {
      reader = Class.forName("io.cachelens.analysis.report.AuditJsonReader");
    } catch (ClassNotFoundException e) {
      add("AuditJsonReader accepts it", true, "skipped: analysis-core not on the class path");
      return;
    }
    try {
      reader.getMethod("parse", String.class).invoke(null, text);
      add("AuditJsonReader accepts it", true, "read");
    } catch (InvocationTargetException e) {
      add("AuditJsonReader accepts it", false, String.valueOf(e.getCause()));
    } catch (ReflectiveOperationException e) {
      add("AuditJsonReader accepts it", false, e.toString());
    }
  }

  /** The document as maps, lists, strings, numbers, booleans and nulls. */
  static Object parseStrict(String text) throws IOException {
    JsonReader reader = new JsonReader(new StringReader(text));
    reader.setStrictness(Strictness.STRICT);
    Object value = read(reader, "$");
    if (reader.peek() != JsonToken.END_DOCUMENT) {
      throw new IOException("content after the document at " + reader.getPath());
    }
    return value;
  }

  private static Object read(JsonReader reader, String path) throws IOException {
    switch (reader.peek()) {
      case BEGIN_OBJECT -> {
        Map<String, Object> object = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
          String name = reader.nextName();
          if (object.containsKey(name)) {
            throw new IOException("duplicate member " + name + " at " + path);
          }
          object.put(name, read(reader, path + "." + name));
        }
        reader.endObject();
        return object;
      }
      case BEGIN_ARRAY -> {
        List<Object> array = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
          array.add(read(reader, path + "[" + array.size() + "]"));
        }
        reader.endArray();
        return array;
      }
      case STRING -> {
        return reader.nextString();
      }
      case NUMBER -> {
        String number = reader.nextString();
        if (number.indexOf('.') < 0 && number.indexOf('e') < 0 && number.indexOf('E') < 0) {
          return Long.parseLong(number);
        }
        return Double.parseDouble(number);
      }
      case BOOLEAN -> {
        return reader.nextBoolean();
      }
      case NULL -> {
        reader.nextNull();
        return null;
      }
      default -> throw new IOException("unexpected " + reader.peek() + " at " + path);
    }
  }

  private void equal(String name, Object actual, Object expected) {
    add(name, actual.equals(expected), "expected " + show(expected) + ", found " + show(actual));
  }

  private void equal(String name, long actual, long expected) {
    add(
        name,
        actual == expected,
        actual == expected
            ? String.format(Locale.ROOT, "%,d", actual)
            : String.format(Locale.ROOT, "expected %,d, found %,d", expected, actual));
  }

  private void add(String name, boolean ok, String detail) {
    results.add(new Result(name, ok, detail));
  }

  private static String show(Object value) {
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }

  private static long number(Map<String, ?> object, String name) {
    Object value = object.get(name);
    if (value instanceof Long) {
      return (Long) value;
    }
    if (value instanceof String) {
      return Long.parseLong((String) value);
    }
    throw new IllegalArgumentException(name + " is not a whole number: " + show(value));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Map<String, Object> parent, String name) {
    Object value = parent.get(name);
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException(name + " is not an object");
    }
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> array(Map<String, Object> parent, String name) {
    Object value = parent.get(name);
    if (!(value instanceof List)) {
      throw new IllegalArgumentException(name + " is not an array");
    }
    return (List<Map<String, Object>>) value;
  }
}
