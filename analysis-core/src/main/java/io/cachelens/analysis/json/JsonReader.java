package io.cachelens.analysis.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A strict JSON (RFC 8259) parser that reads one document into plain Java maps, lists and values.
 *
 * <p>Values map to Java as follows: objects become {@link LinkedHashMap}s of {@code String} to
 * value, in document order; arrays become {@link ArrayList}s; strings become {@link String}s;
 * integer literals (no fraction, no exponent) that fit in a {@code long} become {@link Long}s, all
 * other numbers {@link Double}s; {@code true} and {@code false} become {@link Boolean}s; {@code
 * null} becomes {@code null}.
 *
 * <p>Anything outside the JSON grammar is rejected with an {@link IllegalArgumentException} whose
 * message names the problem and its offset (plus line and column) in the input: trailing content,
 * trailing commas, comments, single quotes, unquoted names, leading zeros, unterminated strings,
 * unescaped control characters, bad escapes, non-finite or out-of-range numbers, whitespace other
 * than space, tab, line feed and carriage return (a byte order mark included), and duplicate member
 * names. Nesting deeper than {@link #MAX_DEPTH} is rejected too, so that hostile input cannot
 * overflow the stack.
 *
 * <p>Surrogate pairs, escaped or not, decode to the character they encode. An unpaired surrogate,
 * which no Unicode encoding can represent, decodes to U+FFFD, just as {@link JsonWriter} writes it,
 * so every string the reader returns is well-formed UTF-16.
 */
public final class JsonReader {

  /** The deepest nesting of arrays and objects that {@link #parse} accepts. */
  public static final int MAX_DEPTH = 512;

  private static final char REPLACEMENT_CHARACTER = '\uFFFD';

  private final String text;
  private int position;
  private int depth;

  private JsonReader(String text) {
    this.text = Objects.requireNonNull(text, "json");
  }

  /**
   * Parses one JSON document, surrounded by optional whitespace, into a {@code Map<String,
   * Object>}, {@code List<Object>}, {@code String}, {@code Long}, {@code Double}, {@code Boolean}
   * or {@code null}.
   *
   * @throws IllegalArgumentException when {@code json} is not exactly one well-formed JSON value
   * @throws NullPointerException when {@code json} is null
   */
  public static Object parse(String json) {
    JsonReader reader = new JsonReader(json);
    reader.skipWhitespace();
    Object value = reader.readValue();
    reader.requireEnd();
    return value;
  }

  /**
   * Parses one JSON document whose top-level value is an object, as {@link #parse} does.
   *
   * @throws IllegalArgumentException when {@code json} is malformed or its top-level value is not
   *     an object
   * @throws NullPointerException when {@code json} is null
   */
  public static Map<String, Object> parseObject(String json) {
    JsonReader reader = new JsonReader(json);
    reader.skipWhitespace();
    if (!reader.at('{')) {
      throw reader.error("expected an object as the top-level value, found " + reader.current());
    }
    Map<String, Object> object = reader.readObject();
    reader.requireEnd();
    return object;
  }

  private void requireEnd() {
    skipWhitespace();
    if (position < text.length()) {
      throw error("unexpected " + current() + " after the end of the document");
    }
  }

  private Object readValue() {
    if (position >= text.length()) {
      throw error("expected a value, found the end of the input");
    }
    char c = text.charAt(position);
    switch (c) {
      case '{':
        return readObject();
      case '[':
        return readArray();
      case '"':
        return readString();
      case 't':
        readLiteral("true");
        return Boolean.TRUE;
      case 'f':
        readLiteral("false");
        return Boolean.FALSE;
      case 'n':
        readLiteral("null");
        return null;
      default:
        if (c == '-' || isDigit(c)) {
          return readNumber();
        }
        throw error("expected a value, found " + current());
    }
  }

  private Map<String, Object> readObject() {
    enterContainer();
    Map<String, Object> members = new LinkedHashMap<>();
    skipWhitespace();
    if (at('}')) {
      position++;
      depth--;
      return members;
    }
    while (true) {
      if (!at('"')) {
        throw error("expected a member name in double quotes, found " + current());
      }
      int nameStart = position;
      String name = readString();
      if (members.containsKey(name)) {
        throw error("duplicate member name " + quote(name), nameStart);
      }
      skipWhitespace();
      if (!at(':')) {
        throw error("expected ':' after a member name, found " + current());
      }
      position++;
      skipWhitespace();
      members.put(name, readValue());
      skipWhitespace();
      if (at(',')) {
        position++;
        skipWhitespace();
      } else if (at('}')) {
        position++;
        depth--;
        return members;
      } else {
        throw error("expected ',' or '}' after an object member, found " + current());
      }
    }
  }

  private List<Object> readArray() {
    enterContainer();
    List<Object> elements = new ArrayList<>();
    skipWhitespace();
    if (at(']')) {
      position++;
      depth--;
      return elements;
    }
    while (true) {
      elements.add(readValue());
      skipWhitespace();
      if (at(',')) {
        position++;
        skipWhitespace();
      } else if (at(']')) {
        position++;
        depth--;
        return elements;
      } else {
        throw error("expected ',' or ']' after an array element, found " + current());
      }
    }
  }

  /** Consumes the opening bracket or brace, refusing to nest deeper than {@link #MAX_DEPTH}. */
  private void enterContainer() {
    if (depth == MAX_DEPTH) {
      throw error("arrays and objects nested deeper than " + MAX_DEPTH + " levels");
    }
    depth++;
    position++;
  }

  private String readString() {
    int start = position;
    position++; // the opening quote
    // Characters are copied in runs: a string without escapes is a single substring.
    StringBuilder decoded = null;
    int runStart = position;
    boolean sawSurrogate = false;
    while (true) {
      if (position >= text.length()) {
        throw error("unterminated string", start);
      }
      char c = text.charAt(position);
      if (c == '"') {
        String value;
        if (decoded == null) {
          value = text.substring(runStart, position);
        } else {
          value = decoded.append(text, runStart, position).toString();
        }
        position++;
        return sawSurrogate ? replaceUnpairedSurrogates(value) : value;
      }
      if (c < 0x20) {
        throw error("unescaped control character " + describe(c) + " in a string");
      }
      if (c != '\\') {
        sawSurrogate |= Character.isSurrogate(c);
        position++;
        continue;
      }
      if (decoded == null) {
        decoded = new StringBuilder();
      }
      decoded.append(text, runStart, position);
      char escaped = readEscape();
      sawSurrogate |= Character.isSurrogate(escaped);
      decoded.append(escaped);
      runStart = position;
    }
  }

  /** Reads the escape sequence at the current backslash and returns the character it stands for. */
  private char readEscape() {
    int start = position;
    if (position + 1 >= text.length()) {
      throw error("unterminated escape sequence", start);
    }
    char escaped = text.charAt(position + 1);
    position += 2;
    return switch (escaped) {
      case '"', '\\', '/' -> escaped;
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'u' -> readHexCode(start);
      default ->
          throw error(
              "bad escape sequence \\" + (escaped < 0x20 ? describe(escaped) : escaped), start);
    };
  }

  /** Reads the four hex digits of a {@code \\u} escape that starts at {@code escapeStart}. */
  private char readHexCode(int escapeStart) {
    int code = 0;
    for (int i = 0; i < 4; i++) {
      int digit = position < text.length() ? hexValue(text.charAt(position)) : -1;
      if (digit < 0) {
        throw error("bad \\u escape: expected four hex digits", escapeStart);
      }
      code = code << 4 | digit;
      position++;
    }
    return (char) code;
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private Object readNumber() {
    int start = position;
    if (at('-')) {
      position++;
    }
    if (at('0')) {
      position++;
      if (position < text.length() && isDigit(text.charAt(position))) {
        throw error("leading zero in a number", start);
      }
    } else {
      requireDigits("a digit");
    }
    boolean integral = true;
    if (at('.')) {
      integral = false;
      position++;
      requireDigits("a digit after the decimal point");
    }
    if (at('e') || at('E')) {
      integral = false;
      position++;
      if (at('+') || at('-')) {
        position++;
      }
      requireDigits("a digit in the exponent");
    }
    String literal = text.substring(start, position);
    if (integral) {
      try {
        return Long.parseLong(literal);
      } catch (NumberFormatException beyondLong) {
        // An integer beyond the range of long is read as a double, below.
      }
    }
    double value = Double.parseDouble(literal);
    if (Double.isInfinite(value)) {
      throw error("number out of range: " + literal, start);
    }
    return value;
  }

  private void requireDigits(String what) {
    if (position >= text.length() || !isDigit(text.charAt(position))) {
      throw error("bad number: expected " + what + ", found " + current());
    }
    while (position < text.length() && isDigit(text.charAt(position))) {
      position++;
    }
  }

  private void readLiteral(String word) {
    if (!text.startsWith(word, position)) {
      throw error("expected a value, found " + current());
    }
    position += word.length();
  }

  private void skipWhitespace() {
    while (position < text.length()) {
      char c = text.charAt(position);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      position++;
    }
  }

  private boolean at(char c) {
    return position < text.length() && text.charAt(position) == c;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String replaceUnpairedSurrogates(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        out.append(c).append(value.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? REPLACEMENT_CHARACTER : c);
      }
    }
    return out.toString();
  }

  /** The character at the current position, for messages. */
  private String current() {
    return position < text.length() ? describe(text.charAt(position)) : "the end of the input";
  }

  private static String describe(char c) {
    if (c >= 0x20 && c < 0x7f) {
      return "'" + c + "'";
    }
    return String.format(Locale.ROOT, "U+%04X", (int) c);
  }

  private static String quote(String name) {
    String shown = name.length() > 60 ? name.substring(0, 60) + "..." : name;
    return '"' + shown + '"';
  }

  private IllegalArgumentException error(String problem) {
    return error(problem, position);
  }

  private IllegalArgumentException error(String problem, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new IllegalArgumentException(
        String.format(
            Locale.ROOT,
            "malformed JSON at offset %d (line %d, column %d): %s",
            offset,
            line,
            offset - lineStart + 1,
            problem));
  }
}
