package io.cachelens.examples.orders;

import io.cachelens.examples.support.Flags;
import java.time.Duration;
import java.util.Map;

/**
 * How one run of the orders service is set up: where Redis is, how many orders to take and how many
 * go in one pipeline. Every setting comes from a flag, else an environment variable, else a
 * default.
 *
 * @param host Redis host ({@code --host}, {@code REDIS_HOST}, default {@code 127.0.0.1})
 * @param port Redis port ({@code --port}, {@code REDIS_PORT}, default {@code 6379})
 * @param requests orders to take ({@code --requests}, {@code ORDERS_REQUESTS}, default 3,000)
 * @param batch orders written per pipeline ({@code --batch}, {@code ORDERS_BATCH}, default 25)
 * @param duration longest the run may take ({@code --duration}, {@code ORDERS_DURATION}, default 60
 *     s)
 */
public record OrdersConfig(String host, int port, long requests, int batch, Duration duration) {

  /** Usage text printed for {@code --help} and after a bad argument. */
  public static final String USAGE =
      String.join(
          System.lineSeparator(),
          "usage: java -jar orders-service.jar [--host H] [--port P] [--requests N] [--batch B]"
              + " [--duration D]",
          "  --host      Redis host                  (env REDIS_HOST, default 127.0.0.1)",
          "  --port      Redis port                  (env REDIS_PORT, default 6379)",
          "  --requests  orders to take              (env ORDERS_REQUESTS, default 3000)",
          "  --batch     orders per pipeline         (env ORDERS_BATCH, default 25)",
          "  --duration  stop after this long: 90s, 1500ms, 2m or seconds"
              + " (env ORDERS_DURATION, default 60s)",
          "Flags may also be written --name=value.");

  /** Checks the values. */
  public OrdersConfig {
    Flags.checkCommon(host, port, requests, duration);
    Flags.checkRange("--batch", batch, 1, 10_000);
  }

  /**
   * Reads the settings from command-line flags over environment variables over defaults.
   *
   * @throws IllegalArgumentException for an unknown flag, a flag without its value or a bad value
   */
  public static OrdersConfig parse(String[] args, Map<String, String> env) {
    Flags flags =
        Flags.parse(
            args,
            env,
            Map.of(
                "--host", "REDIS_HOST",
                "--port", "REDIS_PORT",
                "--requests", "ORDERS_REQUESTS",
                "--batch", "ORDERS_BATCH",
                "--duration", "ORDERS_DURATION"));
    return new OrdersConfig(
        flags.text("--host", "127.0.0.1"),
        flags.integer("--port", 6379),
        flags.number("--requests", 3_000),
        flags.integer("--batch", 25),
        flags.duration("--duration", Duration.ofSeconds(60)));
  }
}
