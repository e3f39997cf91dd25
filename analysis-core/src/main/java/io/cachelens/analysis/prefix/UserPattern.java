package io.cachelens.analysis.prefix;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One user pattern such as {@code tenant:*:orders:*}, compiled for matching raw key bytes. */
final class UserPattern {

  private static final byte LITERAL = 0;
  private static final byte ANY = 1;
  private static final byte STARTS_WITH = 2;
  private static final byte HASH_TAG = 3;
  private static final byte REST = 4;

  private final String text;
  private final byte[] textBytes;
  private final byte[] kinds;
  private final byte[][] literals;
  // separators[i] is the delimiter byte that follows segment i in the pattern
  private final byte[] separators;

  private UserPattern(
      String text, byte[] textBytes, byte[] kinds, byte[][] literals, byte[] separators) {
    this.text = text;
    this.textBytes = textBytes;
    this.kinds = kinds;
    this.literals = literals;
    this.separators = separators;
  }

  /** A lookup table, indexed by ASCII code, of the bytes that split key segments. */
  static boolean[] delimiterTable(String delimiters) {
    boolean[] table = new boolean[128];
    for (int i = 0; i < delimiters.length(); i++) {
      table[delimiters.charAt(i)] = true;
    }
    return table;
  }

  static boolean isDelimiter(boolean[] delimiters, byte b) {
    return b >= 0 && delimiters[b];
  }

  /** Compiles a pattern; throws IllegalArgumentException naming the offending segment. */
  static UserPattern compile(String pattern, boolean[] delimiters) {
    byte[] bytes = pattern.getBytes(StandardCharsets.UTF_8);
    List<byte[]> segments = new ArrayList<>();
    List<Byte> separatorList = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || isDelimiter(delimiters, bytes[i])) {
        segments.add(Arrays.copyOfRange(bytes, start, i));
        if (i < bytes.length) {
          separatorList.add(bytes[i]);
        }
        start = i + 1;
      }
    }
    int count = segments.size();
    byte[] kinds = new byte[count];
    byte[][] literals = new byte[count][];
    for (int i = 0; i < count; i++) {
      byte[] segment = segments.get(i);
      String segmentText = new String(segment, StandardCharsets.UTF_8);
      int star = segmentText.indexOf('*');
      if (segmentText.equals("**")) {
        if (i != count - 1) {
          throw invalid(pattern, "'**' may only be the last segment");
        }
        if (count == 1) {
          throw invalid(pattern, "'**' alone would match every key");
        }
        kinds[i] = REST;
      } else if (segmentText.equals("*")) {
        kinds[i] = ANY;
      } else if (segmentText.equals("{*}")) {
        kinds[i] = HASH_TAG;
      } else if (star < 0) {
        kinds[i] = LITERAL;
        literals[i] = segment;
      } else if (star == segmentText.length() - 1) {
        kinds[i] = STARTS_WITH;
        literals[i] = Arrays.copyOf(segment, segment.length - 1);
      } else {
        throw invalid(
            pattern,
            "segment '"
                + segmentText
                + "': '*' must be a whole segment, end a segment, or be '{*}' or a final '**'");
      }
    }
    byte[] separators = new byte[separatorList.size()];
    for (int i = 0; i < separators.length; i++) {
      separators[i] = separatorList.get(i);
    }
    return new UserPattern(pattern, bytes, kinds, literals, separators);
  }

  private static IllegalArgumentException invalid(String pattern, String reason) {
    return new IllegalArgumentException("invalid prefix pattern '" + pattern + "': " + reason);
  }

  String text() {
    return text;
  }

  byte[] textBytes() {
    return textBytes;
  }

  /** Whether the key bytes {@code [from, end)} match; allocation-free. */
  boolean matches(byte[] key, int from, int end, boolean[] delimiters) {
    int position = from;
    int last = kinds.length - 1;
    for (int i = 0; i <= last; i++) {
      byte kind = kinds[i];
      if (kind == REST) {
        return true;
      }
      int segmentEnd;
      if (kind == HASH_TAG) {
        if (position + 2 >= end || key[position] != '{') {
          return false;
        }
        int close = indexOf(key, (byte) '}', position + 2, end);
        if (close < 0) {
          return false;
        }
        segmentEnd = close + 1;
        if (segmentEnd < end && !isDelimiter(delimiters, key[segmentEnd])) {
          return false;
        }
      } else {
        segmentEnd = position;
        while (segmentEnd < end && !isDelimiter(delimiters, key[segmentEnd])) {
          segmentEnd++;
        }
        if (kind == LITERAL) {
          byte[] literal = literals[i];
          if (!Arrays.equals(key, position, segmentEnd, literal, 0, literal.length)) {
            return false;
          }
        } else if (kind == STARTS_WITH) {
          byte[] literal = literals[i];
          if (segmentEnd - position < literal.length
              || !Arrays.equals(
                  key, position, position + literal.length, literal, 0, literal.length)) {
            return false;
          }
        }
      }
      if (i == last) {
        return segmentEnd == end;
      }
      if (segmentEnd >= end || key[segmentEnd] != separators[i]) {
        return false;
      }
      position = segmentEnd + 1;
    }
    return false;
  }

  static int indexOf(byte[] bytes, byte wanted, int from, int end) {
    for (int i = from; i < end; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }
}
