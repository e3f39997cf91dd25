package io.cachelens.it.lettuce;

import io.cachelens.analysis.json.JsonReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads the agent's summary file with the strict {@link JsonReader} and picks typed fields out of
 * it. Fails loudly on anything malformed, so the test checks the real file.
 */
final class Json {
  private Json() {}

  static Map<String, Object> readObject(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return JsonReader.parseObject(text);
    } catch (IllegalArgumentException e) {
      throw new AssertionError("not a single JSON object: " + file + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    if (!(value instanceof Map)) {
      throw new AssertionError(key + " is not an object in " + parent);
    }
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> array(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    if (!(value instanceof List)) {
      throw new AssertionError(key + " is not an array in " + parent);
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
    throw new AssertionError(key + " is not a number in " + parent);
  }
}
