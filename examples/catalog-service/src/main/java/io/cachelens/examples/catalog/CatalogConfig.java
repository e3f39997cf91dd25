package io.cachelens.examples.catalog;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * How one run of the catalog service is set up: where Redis is, how much traffic to simulate and
 * the seed that makes the traffic repeatable.
 *
 * <p>Every setting comes from a command-line flag, else from an environment variable, else from a
 * default. The run ends after {@link #requests()} simulated page requests or after {@link
 * #duration()}, whichever comes first.
 *
 * @param host Redis host ({@code --host}, {@code REDIS_HOST}, default {@code 127.0.0.1})
 * @param port Redis port ({@code --port}, {@code REDIS_PORT}, default {@code 6379})
 * @param requests page requests to simulate ({@code --requests}, {@code CATALOG_REQUESTS}, default
 *     5,000)
 * @param duration longest the run may take ({@code --duration}, {@code CATALOG_DURATION}, default
 *     60 s, a safety net: the default run takes a few seconds)
 * @param workers request-handling threads sharing the connection pool ({@code --workers}, {@code
 *     CATALOG_WORKERS}, default 4)
 * @param seed seed of the simulated traffic ({@code --seed}, {@code CATALOG_SEED}, default 42)
 */
public record CatalogConfig(
    String host, int port, long requests, Duration duration, int workers, long seed) {

  /** Default Redis host. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Default Redis port. */
  public static final int DEFAULT_PORT = 6379;

  /** Default number of simulated page requests. */
  public static final long DEFAULT_REQUESTS = 5_000;

  /** Default upper bound on the run's length. */
  public static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);

  /** Default number of worker threads. */
  public static final int DEFAULT_WORKERS = 4;

  /** Default traffic seed. */
  public static final long DEFAULT_SEED = 42;

  /** Usage text printed for {@code --help} and after a bad argument. */
  public static final String USAGE =
      String.join(
          System.lineSeparator(),
          "usage: java -jar catalog-service.jar [--host H] [--port P] [--requests N]"
              + " [--duration D] [--workers W] [--seed S]",
          "  --host      Redis host                     (env REDIS_HOST, default 127.0.0.1)",
          "  --port      Redis port                     (env REDIS_PORT, default 6379)",
          "  --requests  page requests to simulate      (env CATALOG_REQUESTS, default 5000)",
          "  --duration  stop after this long: 90s, 1500ms, 2m or seconds"
              + " (env CATALOG_DURATION, default 60s)",
          "  --workers   request threads                (env CATALOG_WORKERS, default 4)",
          "  --seed      seed of the simulated traffic  (env CATALOG_SEED, default 42)",
          "Flags may also be written --name=value.");

  /** Checks the values. */
  public CatalogConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("the Redis host is empty");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("the Redis port must be 1..65535, not " + port);
    }
    if (requests < 1) {
      throw new IllegalArgumentException("--requests must be at least 1, not " + requests);
    }
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be positive, not " + duration);
    }
    if (workers < 1 || workers > 256) {
      throw new IllegalArgumentException("--workers must be 1..256, not " + workers);
    }
  }

  /** The defaults, for {@code 127.0.0.1:6379}. */
  public static CatalogConfig defaults() {
    return new CatalogConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        DEFAULT_REQUESTS,
        DEFAULT_DURATION,
        DEFAULT_WORKERS,
        DEFAULT_SEED);
  }

  /**
   * Reads the settings from command-line flags over environment variables over defaults.
   *
   * @throws IllegalArgumentException for an unknown flag, a flag without its value or a bad value
   */
  public static CatalogConfig parse(String[] args, Map<String, String> env) {
    String host = env.getOrDefault("REDIS_HOST", DEFAULT_HOST);
    String port = env.get("REDIS_PORT");
    String requests = env.get("CATALOG_REQUESTS");
    String duration = env.get("CATALOG_DURATION");
    String workers = env.get("CATALOG_WORKERS");
    String seed = env.get("CATALOG_SEED");

    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      if (!name.equals("--host")
          && !name.equals("--port")
          && !name.equals("--requests")
          && !name.equals("--duration")
          && !name.equals("--workers")
          && !name.equals("--seed")) {
        throw new IllegalArgumentException("unknown argument: " + arg);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "--host" -> host = value;
        case "--port" -> port = value;
        case "--requests" -> requests = value;
        case "--duration" -> duration = value;
        case "--workers" -> workers = value;
        default -> seed = value;
      }
    }

    return new CatalogConfig(
        host.trim(),
        port == null ? DEFAULT_PORT : parseInt("port", port),
        requests == null ? DEFAULT_REQUESTS : parseLong("requests", requests),
        duration == null ? DEFAULT_DURATION : parseDuration(duration),
        workers == null ? DEFAULT_WORKERS : parseInt("workers", workers),
        seed == null ? DEFAULT_SEED : parseLong("seed", seed));
  }

  /**
   * Parses {@code 1500ms}, {@code 90s}, {@code 2m}, or a plain number of seconds such as {@code 5}
   * or {@code 2.5}.
   */
  static Duration parseDuration(String text) {
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

  private static int parseInt(String what, String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the " + what + " is not a number: '" + text + "'", e);
    }
  }

  private static long parseLong(String what, String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the " + what + " is not a number: '" + text + "'", e);
    }
  }

  @Override
  public String toString() {
    return host
        + ":"
        + port
        + ", "
        + requests
        + " requests, at most "
        + duration.toMillis()
        + " ms, "
        + workers
        + " workers, seed "
        + seed;
  }
}
