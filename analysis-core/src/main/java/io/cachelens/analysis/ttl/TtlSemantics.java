package io.cachelens.analysis.ttl;

import io.cachelens.analysis.command.ArgumentAccess;
import io.cachelens.analysis.command.CommandCatalog;
import io.cachelens.analysis.command.CommandInfo;

/**
 * What writes do to an expiry the key already has: which writes without TTL also drop it, which
 * commands set one and for how long, and which remove the key.
 */
public final class TtlSemantics {
  private TtlSemantics() {}

  /**
   * True when a write of this command keeps an expiry its key already has: a counter or collection
   * write to a key that has a TTL is not a write without TTL.
   */
  public static boolean keepsExistingTtl(CommandInfo command) {
    return !command.replacesValue();
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
    return command.expireFamily();
  }

  /**
   * Whether an EXPIRE-family command that replied 0 (nothing done) tells that its key already has a
   * TTL: with {@code NX} (set only when there is none) or {@code LT} (only when shorter; a key
   * without TTL counts as infinite, so LT always applies to it). With {@code XX}, {@code GT} or no
   * option, 0 says the key has no TTL or does not exist. Never throws.
   */
  public static <C> boolean skippedExpireMeansTtl(
      CommandInfo command, ArgumentAccess<C> access, C arguments) {
    if (command == null || access == null || !isExpire(command)) {
      return false;
    }
    try {
      int count = access.count(arguments);
      for (int i = 2; i < count; i++) {
        byte[] option = access.argument(arguments, i);
        if (option != null
            && option.length == 2
            && ((option[0] | 0x20) == 'n' && (option[1] | 0x20) == 'x'
                || (option[0] | 0x20) == 'l' && (option[1] | 0x20) == 't')) {
          return true;
        }
      }
      return false;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The expiry EXPIRE-family arguments ask for, in milliseconds from {@code nowMillis} (Unix
   * milliseconds); 0 when the time is zero, negative or already past, which deletes the key; -1
   * when the argument is not a decimal integer. See {@link CommandCatalog#expiryMillis}.
   */
  public static long expiryMillis(CommandInfo command, byte[] argument, long nowMillis) {
    return CommandCatalog.expiryMillis(command, argument, nowMillis);
  }

  /**
   * Whether a successful write of this command removes its key: {@code DEL}, {@code UNLINK}, {@code
   * GETDEL}, {@code DELIFEQ}, and an {@code EXPIRE}, {@code PEXPIRE}, {@code EXPIREAT} or {@code
   * PEXPIREAT} whose time is zero, negative or already past at {@code nowMillis} (Unix
   * milliseconds). The key is gone: an expiry known for it no longer holds, and a write that
   * creates it again creates it without TTL ({@link ExpiryTracker#keyDeleted}). Never throws.
   */
  public static <C> boolean deletesKey(
      CommandInfo command, ArgumentAccess<C> access, C arguments, long nowMillis) {
    if (command == null) {
      return false;
    }
    if (command.deletesKeys()) {
      return true;
    }
    if (!isExpire(command) || access == null) {
      return false;
    }
    try {
      return expiryMillis(command, access.argument(arguments, 1), nowMillis) == 0;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
