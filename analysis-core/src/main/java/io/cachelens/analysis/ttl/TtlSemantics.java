package io.cachelens.analysis.ttl;

import io.cachelens.analysis.command.CommandInfo;
import java.util.Set;

/** Which writes that leave a new key without TTL also drop the expiry of an existing key. */
public final class TtlSemantics {
  // Writes that replace the whole value, and with it any expiry; every other write without TTL
  // (HSET, INCR, LPUSH, SADD, APPEND...) changes the value in place and keeps the key's expiry.
  private static final Set<String> REPLACING =
      Set.of(
          "SET",
          "MSET",
          "MSETNX",
          "GETSET",
          "SETNX",
          "PERSIST",
          "GETEX",
          "RESTORE",
          "SUNIONSTORE",
          "SINTERSTORE",
          "SDIFFSTORE",
          "ZUNIONSTORE",
          "ZINTERSTORE",
          "ZDIFFSTORE",
          "ZRANGESTORE",
          "BITOP",
          "SORT",
          "GEORADIUS",
          "GEORADIUSBYMEMBER",
          "GEOSEARCHSTORE");

  private TtlSemantics() {}

  /**
   * True when a write of this command keeps an expiry its key already has: a counter or collection
   * write to a key that has a TTL is not a write without TTL.
   */
  public static boolean keepsExistingTtl(CommandInfo command) {
    return !REPLACING.contains(command.name());
  }

  /**
   * Whether an expiry-setting command's argument 1 is an absolute Unix time ({@code EXPIREAT},
   * {@code PEXPIREAT}) rather than a duration.
   */
  public static boolean absoluteExpiry(CommandInfo command) {
    String name = command.name();
    return name.equals("EXPIREAT") || name.equals("PEXPIREAT");
  }

  /** Whether the expiry-setting command counts in milliseconds ({@code PEXPIRE*}). */
  public static boolean millisecondExpiry(CommandInfo command) {
    return command.name().startsWith("PEXPIRE");
  }

  /** Whether the command is one of EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT. */
  public static boolean isExpire(CommandInfo command) {
    String name = command.name();
    return name.equals("EXPIRE")
        || name.equals("PEXPIRE")
        || name.equals("EXPIREAT")
        || name.equals("PEXPIREAT");
  }

  /**
   * The expiry EXPIRE-family arguments ask for, in milliseconds from {@code nowMillis}; -1 when the
   * argument is not a plain decimal number.
   */
  public static long expiryMillis(CommandInfo command, byte[] argument, long nowMillis) {
    long value = parseDecimal(argument);
    if (value < 0) {
      return -1;
    }
    boolean millis = millisecondExpiry(command);
    if (absoluteExpiry(command)) {
      long at = millis ? value : saturatingTimes1000(value);
      return Math.max(0, at - nowMillis);
    }
    return millis ? value : saturatingTimes1000(value);
  }

  private static long saturatingTimes1000(long value) {
    return value > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : value * 1000;
  }

  /** A non-negative decimal of at most 18 digits, or -1. */
  static long parseDecimal(byte[] digits) {
    if (digits == null || digits.length == 0 || digits.length > 18) {
      return -1;
    }
    long value = 0;
    for (byte digit : digits) {
      if (digit < '0' || digit > '9') {
        return -1;
      }
      value = value * 10 + (digit - '0');
    }
    return value;
  }
}
