package io.cachelens.analysis.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A small streaming JSON writer over any {@link Appendable}, compact or pretty-printed with a
 * two-space indent.
 *
 * <p>Strings are escaped so that the output is valid JSON and safe to embed in JavaScript: quotes,
 * backslashes, control characters, U+2028 and U+2029 are escaped, and lone surrogates (which no
 * encoding can represent) are replaced with U+FFFD. Doubles that JSON cannot represent (NaN,
 * infinities) are written as {@code null}.
 *
 * <p>Misuse (a value without a name inside an object, unbalanced ends, a second top-level value)
 * throws {@link IllegalStateException}; I/O failures of the underlying {@code Appendable} throw
 * {@link UncheckedIOException}. Not thread-safe.
 */
public final class JsonWriter {

  private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();
  private static final char REPLACEMENT_CHARACTER = '\uFFFD';

  private final Appendable out;
  private final boolean pretty;

  // One entry per open container: whether it is an object, and whether it has members yet.
  private boolean[] containerIsObject = new boolean[8];
  private boolean[] containerHasMembers = new boolean[8];
  private int depth;
  private boolean namePending;
  private boolean topLevelValueWritten;

  /** A compact writer: no whitespace between tokens. */
  public JsonWriter(Appendable out) {
    this(out, false);
  }

  /** A writer that, when {@code pretty}, puts each member on its own line, indented by two. */
  public JsonWriter(Appendable out, boolean pretty) {
    if (out == null) {
      throw new NullPointerException("out");
    }
    this.out = out;
    this.pretty = pretty;
  }

  /** Starts an object. */
  public JsonWriter beginObject() {
    beforeValue();
    append('{');
    push(true);
    return this;
  }

  /** Ends the innermost object. */
  public JsonWriter endObject() {
    if (depth == 0 || !containerIsObject[depth - 1]) {
      throw new IllegalStateException("endObject() without an open object");
    }
    if (namePending) {
      throw new IllegalStateException("endObject() after a name without a value");
    }
    pop('}');
    return this;
  }

  /** Starts an array. */
  public JsonWriter beginArray() {
    beforeValue();
    append('[');
    push(false);
    return this;
  }

  /** Ends the innermost array. */
  public JsonWriter endArray() {
    if (depth == 0 || containerIsObject[depth - 1]) {
      throw new IllegalStateException("endArray() without an open array");
    }
    pop(']');
    return this;
  }

  /** Writes the name of the next member of the innermost object. */
  public JsonWriter name(String name) {
    if (name == null) {
      throw new NullPointerException("name");
    }
    if (depth == 0 || !containerIsObject[depth - 1]) {
      throw new IllegalStateException("name() outside an object");
    }
    if (namePending) {
      throw new IllegalStateException("name() after a name without a value");
    }
    startMember();
    writeString(name);
    append(':');
    if (pretty) {
      append(' ');
    }
    namePending = true;
    return this;
  }

  /** Writes a string value, or {@code null} when {@code value} is null. */
  public JsonWriter value(String value) {
    if (value == null) {
      return nullValue();
    }
    beforeValue();
    writeString(value);
    return this;
  }

  /** Writes an integer value. */
  public JsonWriter value(long value) {
    beforeValue();
    append(Long.toString(value));
    return this;
  }

  /** Writes a number, or {@code null} for NaN and infinities, which JSON cannot represent. */
  public JsonWriter value(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return nullValue();
    }
    beforeValue();
    append(Double.toString(value));
    return this;
  }

  /** Writes {@code true} or {@code false}. */
  public JsonWriter value(boolean value) {
    beforeValue();
    append(value ? "true" : "false");
    return this;
  }

  /** Writes {@code null}. */
  public JsonWriter nullValue() {
    beforeValue();
    append("null");
    return this;
  }

  /** True once one complete top-level value has been written and every container is closed. */
  public boolean isComplete() {
    return topLevelValueWritten && depth == 0;
  }

  private void beforeValue() {
    if (depth == 0) {
      if (topLevelValueWritten) {
        throw new IllegalStateException("a JSON document holds a single top-level value");
      }
      topLevelValueWritten = true;
    } else if (containerIsObject[depth - 1]) {
      if (!namePending) {
        throw new IllegalStateException("a value inside an object needs a name() first");
      }
      namePending = false;
    } else {
      startMember();
    }
  }

  private void startMember() {
    if (containerHasMembers[depth - 1]) {
      append(',');
    }
    containerHasMembers[depth - 1] = true;
    newLineAndIndent();
  }

  private void push(boolean isObject) {
    if (depth == containerIsObject.length) {
      containerIsObject = Arrays.copyOf(containerIsObject, depth * 2);
      containerHasMembers = Arrays.copyOf(containerHasMembers, depth * 2);
    }
    containerIsObject[depth] = isObject;
    containerHasMembers[depth] = false;
    depth++;
  }

  private void pop(char closing) {
    boolean hadMembers = containerHasMembers[depth - 1];
    depth--;
    if (hadMembers) {
      newLineAndIndent();
    }
    append(closing);
  }

  private void newLineAndIndent() {
    if (!pretty) {
      return;
    }
    append('\n');
    for (int i = 0; i < depth; i++) {
      append("  ");
    }
  }

  private void writeString(String text) {
    try {
      appendQuoted(text, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void appendQuoted(String text, Appendable out) throws IOException {
    out.append('"');
    int length = text.length();
    // Characters that need no escaping are copied in runs, one append per run.
    int runStart = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (!needsEscaping(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++; // A well-formed pair stays as it is.
        continue;
      }
      out.append(text, runStart, i);
      runStart = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isSurrogate(c)) {
            out.append(REPLACEMENT_CHARACTER);
          } else {
            appendUnicodeEscape(c, out);
          }
        }
      }
    }
    out.append(text, runStart, length);
    out.append('"');
  }

  private static boolean needsEscaping(char c) {
    return c < 0x20
        || c == '"'
        || c == '\\'
        || c == '\u2028'
        || c == '\u2029'
        || Character.isSurrogate(c);
  }

  private static void appendUnicodeEscape(char c, Appendable out) throws IOException {
    out.append("\\u")
        .append(HEX_DIGITS[(c >> 12) & 0xF])
        .append(HEX_DIGITS[(c >> 8) & 0xF])
        .append(HEX_DIGITS[(c >> 4) & 0xF])
        .append(HEX_DIGITS[c & 0xF]);
  }

  private void append(char c) {
    try {
      out.append(c);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void append(String text) {
    try {
      out.append(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
