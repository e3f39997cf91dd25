package io.cachelens.analysis.query;

/** Turns key bytes into readable, unambiguous text. */
final class KeyText {

  /** Longer keys are cut: a span attribute is no place for megabytes. */
  static final int MAX_KEY_BYTES = 256;

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private KeyText() {}

  /** UTF-8 text with {@code \\} and {@code \xNN} escapes; {@code ?} for null. */
  static String escape(byte[] key) {
    if (key == null) {
      return "?";
    }
    int end = Math.min(key.length, MAX_KEY_BYTES);
    StringBuilder text = new StringBuilder(end + 8);
    int i = 0;
    while (i < end) {
      int c = key[i] & 0xFF;
      if (c >= 0x20 && c < 0x7F) {
        if (c == '\\') {
          text.append('\\');
        }
        text.append((char) c);
        i++;
        continue;
      }
      int length = c >= 0x80 ? sequenceLength(key, i, end) : 0;
      if (length == 0) {
        text.append('\\').append('x').append(HEX[c >>> 4]).append(HEX[c & 0xF]);
        i++;
        continue;
      }
      text.appendCodePoint(decode(key, i, length));
      i += length;
    }
    if (end < key.length) {
      text.append('…');
    }
    return text.toString();
  }

  /**
   * The length of the well-formed UTF-8 sequence of a printable code point at {@code i}, or 0 when
   * the bytes are not one (invalid, truncated, surrogate, overlong, or a C1 control character).
   */
  private static int sequenceLength(byte[] b, int i, int end) {
    int c = b[i] & 0xFF;
    int length;
    int minSecond = 0x80;
    int maxSecond = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
      if (c == 0xC2) {
        minSecond = 0xA0; // U+0080..U+009F are control characters
      }
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) {
        minSecond = 0xA0;
      } else if (c == 0xED) {
        maxSecond = 0x9F;
      }
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) {
        minSecond = 0x90;
      } else if (c == 0xF4) {
        maxSecond = 0x8F;
      }
    } else {
      return 0;
    }
    if (i + length > end) {
      return 0;
    }
    int second = b[i + 1] & 0xFF;
    if (second < minSecond || second > maxSecond) {
      return 0;
    }
    for (int k = 2; k < length; k++) {
      int next = b[i + k] & 0xFF;
      if (next < 0x80 || next > 0xBF) {
        return 0;
      }
    }
    return length;
  }

  private static int decode(byte[] b, int i, int length) {
    int codePoint = b[i] & (0xFF >>> (length + 1));
    for (int k = 1; k < length; k++) {
      codePoint = (codePoint << 6) | (b[i + k] & 0x3F);
    }
    return codePoint;
  }
}
