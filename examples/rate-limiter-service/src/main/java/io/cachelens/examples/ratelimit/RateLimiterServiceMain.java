package io.cachelens.examples.ratelimit;

import io.cachelens.examples.support.Flags;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the rate limiter service once and prints one line of what it did.
 *
 * <p>Exit status: 0 when the run finished, 1 when Redis could not be used, 2 for bad arguments.
 */
public final class RateLimiterServiceMain {

  private RateLimiterServiceMain() {}

  /** Entry point of {@code java -jar rate-limiter-service.jar}. */
  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs the service as {@link #main} does and returns the exit status instead of exiting. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (Flags.asksForHelp(args)) {
      out.println(RateLimiterConfig.USAGE);
      return 0;
    }
    RateLimiterConfig config;
    try {
      config = RateLimiterConfig.parse(args, env);
    } catch (IllegalArgumentException e) {
      err.println("rate-limiter-service: " + e.getMessage());
      err.println(RateLimiterConfig.USAGE);
      return 2;
    }
    RateLimiterService.Result result;
    try {
      result = new RateLimiterService(config).run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("rate-limiter-service: interrupted");
      return 1;
    }
    if (result.gaveUpOn() != null) {
      err.println(
          "rate-limiter-service: cannot use Redis at "
              + config.host()
              + ":"
              + config.port()
              + ": "
              + result.gaveUpOn().getMessage());
      return 1;
    }
    out.println(summaryLine(config, result));
    return 0;
  }

  /** The one line printed at the end of a run. */
  static String summaryLine(RateLimiterConfig config, RateLimiterService.Result result) {
    return String.format(
        Locale.ROOT,
        "rate-limiter-service: %d requests in %.2f s against %s:%d from %d API clients,"
            + " each checked on a new connection: %d allowed, %d rejected (over %d per %d s),"
            + " %d failed",
        result.requests(),
        result.elapsed().toNanos() / 1e9,
        config.host(),
        config.port(),
        RateLimiterService.CLIENTS,
        result.allowed(),
        result.rejected(),
        RateLimiterService.LIMIT,
        RateLimiterService.WINDOW_SECONDS,
        result.failed());
  }
}
