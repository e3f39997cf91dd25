package io.cachelens.examples.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of an example service: each from its command-line flag ({@code --port 6380} or
 * {@code --port=6380}), else from its environment variable, else from the default the caller
 * passes.
 */
public final class Flags {

  private final Map<String, String> values;

  private Flags(Map<String, String> values) {
    this.values = values;
  }

  /** True when the arguments ask for the usage text ({@code --help} or {@code -h}). */
  public static boolean asksForHelp(String[] args) {
    return Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h");
  }

  /**
   * Reads the flags a service knows.
   *
   * @param args the command line
   * @param env the environment
   * @param environmentByFlag every flag the service knows, e.g. {@code --port}, with the
   *     environment variable that sets it when the flag is absent, e.g. {@code REDIS_PORT}
   * @throws IllegalArgumentException for an unknown flag or a flag without its value
   */
  public static Flags parse(
      String[] args, Map<String, String> env, Map<String, String> environmentByFlag) {
    Map<String, String> values = new HashMap<>();
    environmentByFlag.forEach(
        (flag, variable) -> {
          String value = env.get(variable);
          if (value != null) {
            values.put(flag, value);
          }
        });
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      if (!environmentByFlag.containsKey(name)) {
        throw new IllegalArgumentException("unknown argument: " + arg);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      values.put(name, value);
    }
    return new Flags(values);
  }

  /** The flag's value, trimmed, or {@code fallback} when neither flag nor variable is set. */
  public String text(String flag, String fallback) {
    String value = values.get(flag);
    return value == null ? fallback : value.trim();
  }

  /**
   * The flag's value as an int.
   *
   * @throws IllegalArgumentException when it is not a number
   */
  public int integer(String flag, int fallback) {
    long value = number(flag, fallback);
    if (value != (int) value) {
      throw new IllegalArgumentException(
          "the " + name(flag) + " is out of range: '" + values.get(flag).trim() + "'");
    }
    return (int) value;
  }

  /**
   * The flag's value as a long.
   *
   * @throws IllegalArgumentException when it is not a number
   */
  public long number(String flag, long fallback) {
    String value = values.get(flag);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw notANumber(flag, value, e);
    }
  }

  /**
   * The flag's value as a duration, written as {@link #parseDuration} reads it.
   *
   * @throws IllegalArgumentException when it is not a duration
   */
  public Duration duration(String flag, Duration fallback) {
    String value = values.get(flag);
    return value == null ? fallback : parseDuration(value);
  }

  /**
   * Parses {@code 1500ms}, {@code 90s}, {@code 2m}, or a plain number of seconds such as {@code 5}
   * or {@code 2.5}.
   *
   * @throws IllegalArgumentException when the text is none of these
   */
  public static Duration parseDuration(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (value.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).trim()));
      }
      double scale = 1_000;
      if (value.endsWith("s")) {
        value = value.substring(0, value.length() - 1);
      } else if (value.endsWith("m")) {
        value = value.substring(0, value.length() - 1);
        scale = 60_000;
      }
      double amount = Double.parseDouble(value.trim());
      if (Double.isNaN(amount) || Double.isInfinite(amount)) {
        throw new NumberFormatException(text);
      }
      return Duration.ofMillis(Math.round(amount * scale));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "not a duration: '" + text + "' (write it as 1500ms, 90s, 2m or a number of seconds)", e);
    }
  }

  /**
   * Checks what every example shares: a Redis host and port, a positive request count and run
   * length.
   *
   * @throws IllegalArgumentException naming the first value out of range
   */
  public static void checkCommon(String host, int port, long requests, Duration duration) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("the Redis host is empty");
    }
    checkRange("the Redis port", port, 1, 65_535);
    if (requests < 1) {
      throw new IllegalArgumentException("--requests must be at least 1, not " + requests);
    }
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be positive, not " + duration);
    }
  }

  /**
   * Checks that {@code value} lies in {@code min..max}.
   *
   * @param what how the message names the value: a flag ({@code --batch}) or words
   */
  public static void checkRange(String what, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(what + " must be " + min + ".." + max + ", not " + value);
    }
  }

  private static IllegalArgumentException notANumber(
      String flag, String value, NumberFormatException cause) {
    return new IllegalArgumentException(
        "the " + name(flag) + " is not a number: '" + value + "'", cause);
  }

  /** {@code --port} as the messages say it: {@code port}. */
  private static String name(String flag) {
    return flag.startsWith("--") ? flag.substring(2) : flag;
  }
}
