package io.cachelens.it.jedis;

import io.cachelens.analysis.json.JsonReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads the agent's summary JSON ({@code cachelens.audit/v1}) with the strict {@link JsonReader},
 * so the test checks the real file, and picks typed fields out of it.
 */
final class SummaryJson {
  private SummaryJson() {}

  static Map<String, Object> read(Path file) throws IOException {
    return JsonReader.parseObject(Files.readString(file, StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    if (!(value instanceof Map)) {
      throw new AssertionError("\"" + key + "\" is not an object in " + parent);
    }
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> objects(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    if (!(value instanceof List)) {
      throw new AssertionError("\"" + key + "\" is not an array in " + parent);
    }
    return (List<Map<String, Object>>) value;
  }

  /** A numeric field; JsonReader gives integers as {@link Long}, other numbers as doubles. */
  static long number(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    if (value instanceof Long integer) {
      return integer;
    }
    if (value instanceof Double decimal) {
      return Math.round(decimal);
    }
    throw new AssertionError("\"" + key + "\" is not a number in " + parent);
  }
}
