package io.cachelens.examples.ratelimit;

import io.cachelens.examples.support.Flags;
import java.time.Duration;
import java.util.Map;

/**
 * How one run of the rate limiter service is set up: where Redis is and how much traffic to
 * simulate. Every setting comes from a flag, else an environment variable, else a default.
 *
 * @param host Redis host ({@code --host}, {@code REDIS_HOST}, default {@code 127.0.0.1})
 * @param port Redis port ({@code --port}, {@code REDIS_PORT}, default {@code 6379})
 * @param requests API requests to simulate ({@code --requests}, {@code RATELIMIT_REQUESTS}, default
 *     1,000)
 * @param rate requests per second arriving across all workers ({@code --rate}, {@code
 *     RATELIMIT_RATE}, default 500)
 * @param duration longest the run may take ({@code --duration}, {@code RATELIMIT_DURATION}, default
 *     60 s)
 */
public record RateLimiterConfig(String host, int port, long requests, int rate, Duration duration) {

  /** Usage text printed for {@code --help} and after a bad argument. */
  public static final String USAGE =
      String.join(
          System.lineSeparator(),
          "usage: java -jar rate-limiter-service.jar [--host H] [--port P] [--requests N]"
              + " [--rate R] [--duration D]",
          "  --host      Redis host                         (env REDIS_HOST, default 127.0.0.1)",
          "  --port      Redis port                         (env REDIS_PORT, default 6379)",
          "  --requests  API requests to simulate           (env RATELIMIT_REQUESTS, default 1000)",
          "  --rate      requests arriving per second       (env RATELIMIT_RATE, default 500)",
          "  --duration  stop after this long: 90s, 1500ms, 2m or seconds"
              + " (env RATELIMIT_DURATION, default 60s)",
          "Flags may also be written --name=value.");

  /** Checks the values. */
  public RateLimiterConfig {
    Flags.checkCommon(host, port, requests, duration);
    Flags.checkRange("--rate", rate, 1, 100_000);
  }

  /**
   * Reads the settings from command-line flags over environment variables over defaults.
   *
   * @throws IllegalArgumentException for an unknown flag, a flag without its value or a bad value
   */
  public static RateLimiterConfig parse(String[] args, Map<String, String> env) {
    Flags flags =
        Flags.parse(
            args,
            env,
            Map.of(
                "--host", "REDIS_HOST",
                "--port", "REDIS_PORT",
                "--requests", "RATELIMIT_REQUESTS",
                "--rate", "RATELIMIT_RATE",
                "--duration", "RATELIMIT_DURATION"));
    return new RateLimiterConfig(
        flags.text("--host", "127.0.0.1"),
        flags.integer("--port", 6379),
        flags.number("--requests", 1_000),
        flags.integer("--rate", 500),
        flags.duration("--duration", Duration.ofSeconds(60)));
  }
}
