package io.cachelens.analysis.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, tiny recursive-descent JSON parser for tests: objects become {@link LinkedHashMap}s,
 * arrays {@link ArrayList}s, integers {@link Long}s, other numbers {@link Double}s.
 */
public final class MiniJson {
  private final String text;
  private int position;

  private MiniJson(String text) {
    this.text = text;
  }

  /** Parses one JSON document; throws {@link IllegalArgumentException} on anything malformed. */
  public static Object parse(String text) {
    MiniJson parser = new MiniJson(text);
    parser.skipWhitespace();
    Object value = parser.readValue();
    parser.skipWhitespace();
    if (parser.position != text.length()) {
      throw parser.error("trailing content");
    }
    return value;
  }

  /** Parses a document whose top level is an object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) {
    Object value = parse(text);
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("not an object: " + text);
    }
    return (Map<String, Object>) value;
  }

  private Object readValue() {
    if (position >= text.length()) {
      throw error("unexpected end");
    }
    return switch (text.charAt(position)) {
      case '{' -> readObject();
      case '[' -> readArray();
      case '"' -> readString();
      case 't' -> {
        expectWord("true");
        yield Boolean.TRUE;
      }
      case 'f' -> {
        expectWord("false");
        yield Boolean.FALSE;
      }
      case 'n' -> {
        expectWord("null");
        yield null;
      }
      default -> readNumber();
    };
  }

  private Map<String, Object> readObject() {
    Map<String, Object> members = new LinkedHashMap<>();
    position++;
    skipWhitespace();
    if (peek() == '}') {
      position++;
      return members;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a member name");
      }
      String name = readString();
      if (members.containsKey(name)) {
        throw error("duplicate member " + name);
      }
      skipWhitespace();
      expect(':');
      skipWhitespace();
      members.put(name, readValue());
      skipWhitespace();
      char next = next();
      if (next == '}') {
        return members;
      }
      if (next != ',') {
        throw error("expected , or }");
      }
    }
  }

  private List<Object> readArray() {
    List<Object> elements = new ArrayList<>();
    position++;
    skipWhitespace();
    if (peek() == ']') {
      position++;
      return elements;
    }
    while (true) {
      skipWhitespace();
      elements.add(readValue());
      skipWhitespace();
      char next = next();
      if (next == ']') {
        return elements;
      }
      if (next != ',') {
        throw error("expected , or ]");
      }
    }
  }

  private String readString() {
    expect('"');
    StringBuilder value = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return value.toString();
      }
      if (c < 0x20) {
        throw error("unescaped control character");
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      char escaped = next();
      switch (escaped) {
        case '"', '\\', '/' -> value.append(escaped);
        case 'b' -> value.append('\b');
        case 'f' -> value.append('\f');
        case 'n' -> value.append('\n');
        case 'r' -> value.append('\r');
        case 't' -> value.append('\t');
        case 'u' -> {
          if (position + 4 > text.length()) {
            throw error("short unicode escape");
          }
          value.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
          position += 4;
        }
        default -> throw error("bad escape \\" + escaped);
      }
    }
  }

  private Object readNumber() {
    int start = position;
    if (peek() == '-') {
      position++;
    }
    boolean integral = true;
    while (position < text.length()) {
      char c = text.charAt(position);
      if (c >= '0' && c <= '9') {
        position++;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        integral = false;
        position++;
      } else {
        break;
      }
    }
    String number = text.substring(start, position);
    if (!number.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
      throw error("bad number " + number);
    }
    if (integral) {
      return Long.parseLong(number);
    }
    return Double.parseDouble(number);
  }

  private void expectWord(String word) {
    if (!text.startsWith(word, position)) {
      throw error("expected " + word);
    }
    position += word.length();
  }

  private void expect(char expected) {
    if (next() != expected) {
      throw error("expected " + expected);
    }
  }

  private char peek() {
    if (position >= text.length()) {
      throw error("unexpected end");
    }
    return text.charAt(position);
  }

  private char next() {
    char c = peek();
    position++;
    return c;
  }

  private void skipWhitespace() {
    while (position < text.length() && " \t\n\r".indexOf(text.charAt(position)) >= 0) {
      position++;
    }
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException(message + " at " + position + " in: " + text);
  }
}
