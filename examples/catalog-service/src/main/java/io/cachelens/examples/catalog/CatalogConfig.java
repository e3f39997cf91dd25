package io.cachelens.examples.catalog;

import io.cachelens.examples.support.Flags;
import java.time.Duration;
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
    Flags.checkCommon(host, port, requests, duration);
    Flags.checkRange("--workers", workers, 1, 256);
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
    Flags flags =
        Flags.parse(
            args,
            env,
            Map.of(
                "--host", "REDIS_HOST",
                "--port", "REDIS_PORT",
                "--requests", "CATALOG_REQUESTS",
                "--duration", "CATALOG_DURATION",
                "--workers", "CATALOG_WORKERS",
                "--seed", "CATALOG_SEED"));
    return new CatalogConfig(
        flags.text("--host", DEFAULT_HOST),
        flags.integer("--port", DEFAULT_PORT),
        flags.number("--requests", DEFAULT_REQUESTS),
        flags.duration("--duration", DEFAULT_DURATION),
        flags.integer("--workers", DEFAULT_WORKERS),
        flags.number("--seed", DEFAULT_SEED));
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
