package io.cachelens.it.lettuce;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict little JSON reader for the agent's summary file: objects become maps, arrays lists,
 * numbers doubles. Fails loudly on anything malformed, so the test checks the real file.
 */
final class Json {
  private final String text;
  private int at;

  private Json(String text) {
    this.text = text;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readObject(Path file) throws IOException {
    Json json = new Json(Files.readString(file, StandardCharsets.UTF_8));
    Object value = json.parse();
    json.whitespace();
    if (json.at != json.text.length() || !(value instanceof Map)) {
      throw new AssertionError("not a single JSON object: " + file);
    }
    return (Map<String, Object>) value;
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

  static long number(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    if (!(value instanceof Double)) {
      throw new AssertionError(key + " is not a number in " + parent);
    }
    return Math.round((Double) value);
  }

  private Object parse() {
    whitespace();
    if (at >= text.length()) {
      throw fail("unexpected end");
    }
    char c = text.charAt(at);
    if (c == '{') {
      Map<String, Object> map = new LinkedHashMap<>();
      at++;
      whitespace();
      if (next() == '}') {
        at++;
        return map;
      }
      do {
        whitespace();
        String key = string();
        whitespace();
        require(':');
        map.put(key, parse());
        whitespace();
      } while (consume(','));
      require('}');
      return map;
    }
    if (c == '[') {
      List<Object> list = new ArrayList<>();
      at++;
      whitespace();
      if (next() == ']') {
        at++;
        return list;
      }
      do {
        list.add(parse());
        whitespace();
      } while (consume(','));
      require(']');
      return list;
    }
    if (c == '"') {
      return string();
    }
    if (text.startsWith("true", at)) {
      at += 4;
      return Boolean.TRUE;
    }
    if (text.startsWith("false", at)) {
      at += 5;
      return Boolean.FALSE;
    }
    if (text.startsWith("null", at)) {
      at += 4;
      return null;
    }
    int start = at;
    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    if (start == at) {
      throw fail("unexpected character '" + c + "'");
    }
    return Double.valueOf(text.substring(start, at));
  }

  private String string() {
    require('"');
    StringBuilder value = new StringBuilder();
    while (true) {
      if (at >= text.length()) {
        throw fail("unterminated string");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return value.toString();
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      char escaped = text.charAt(at++);
      switch (escaped) {
        case 'n':
          value.append('\n');
          break;
        case 't':
          value.append('\t');
          break;
        case 'r':
          value.append('\r');
          break;
        case 'b':
          value.append('\b');
          break;
        case 'f':
          value.append('\f');
          break;
        case 'u':
          value.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
          at += 4;
          break;
        default:
          value.append(escaped);
      }
    }
  }

  private void whitespace() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private char next() {
    return at < text.length() ? text.charAt(at) : '\0';
  }

  private boolean consume(char c) {
    if (next() == c) {
      at++;
      return true;
    }
    return false;
  }

  private void require(char c) {
    if (!consume(c)) {
      throw fail("expected '" + c + "'");
    }
  }

  private AssertionError fail(String message) {
    return new AssertionError(message + " at offset " + at);
  }
}
