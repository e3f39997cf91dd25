package io.cachelens.analysis.command;

import java.nio.charset.StandardCharsets;

/** Allocation-free helpers for ASCII protocol words held in byte arrays. */
final class Ascii {

  private Ascii() {}

  static byte[] bytes(String ascii) {
    return ascii.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Whether {@code argument} spells {@code upperCaseKeyword} ignoring ASCII case; false for null.
   */
  static boolean equalsKeyword(byte[] argument, byte[] upperCaseKeyword) {
    if (argument == null || argument.length != upperCaseKeyword.length) {
      return false;
    }
    for (int i = 0; i < argument.length; i++) {
      if (toUpper(argument[i]) != upperCaseKeyword[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * A non-negative decimal count such as Redis's {@code numkeys}; 0 when absent, malformed or
   * negative, and capped at {@link Integer#MAX_VALUE}.
   */
  static int parseCount(byte[] digits) {
    if (digits == null || digits.length == 0) {
      return 0;
    }
    long value = 0;
    for (byte b : digits) {
      if (b < '0' || b > '9') {
        return 0;
      }
      value = value * 10 + (b - '0');
      if (value > Integer.MAX_VALUE) {
        return Integer.MAX_VALUE;
      }
    }
    return (int) value;
  }

  /** The sign of a decimal integer: 1, 0 or -1; 0 also when the bytes are not an integer. */
  static int signOf(byte[] digits) {
    if (digits == null || digits.length == 0) {
      return 0;
    }
    int i = 0;
    boolean negative = false;
    if (digits[0] == '-' || digits[0] == '+') {
      negative = digits[0] == '-';
      i = 1;
    }
    if (i == digits.length) {
      return 0;
    }
    boolean nonZero = false;
    for (; i < digits.length; i++) {
      byte b = digits[i];
      if (b < '0' || b > '9') {
        return 0;
      }
      nonZero |= b != '0';
    }
    if (!nonZero) {
      return 0;
    }
    return negative ? -1 : 1;
  }

  private static int toUpper(byte b) {
    return b >= 'a' && b <= 'z' ? b - ('a' - 'A') : b;
  }
}
