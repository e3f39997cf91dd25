package io.cachelens.examples.catalog;

import io.cachelens.examples.support.Flags;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Runs the catalog service once and prints one line of what it did.
 *
 * <p>Exit status: 0 when the run finished, 1 when Redis could not be used, 2 for bad arguments.
 */
public final class CatalogServiceMain {

  private CatalogServiceMain() {}

  /** Entry point of {@code java -jar catalog-service.jar}. */
  public static void main(String[] args) {
    int status = run(args, System.getenv(), System.out, System.err);
    // Exit explicitly: the run is over even if a library left a non-daemon thread behind.
    System.exit(status);
  }

  /** Runs the service as {@link #main} does and returns the exit status instead of exiting. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (Flags.asksForHelp(args)) {
      out.println(CatalogConfig.USAGE);
      return 0;
    }
    CatalogConfig config;
    try {
      config = CatalogConfig.parse(args, env);
    } catch (IllegalArgumentException e) {
      err.println("catalog-service: " + e.getMessage());
      err.println(CatalogConfig.USAGE);
      return 2;
    }

    CatalogService.Result result;
    try (CatalogService service = new CatalogService(config)) {
      result = service.run();
    } catch (JedisException e) {
      err.println(
          "catalog-service: cannot use Redis at "
              + config.host()
              + ":"
              + config.port()
              + ": "
              + describe(e));
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("catalog-service: interrupted");
      return 1;
    }

    out.println(summaryLine(config, result));
    if (result.gaveUp()) {
      err.println("catalog-service: stopped early after repeated Redis failures");
      return 1;
    }
    return 0;
  }

  /** The one line printed at the end of a run. */
  static String summaryLine(CatalogConfig config, CatalogService.Result result) {
    return String.format(
        Locale.ROOT,
        "catalog-service: %d requests in %.2f s against %s:%d (%d worker%s, seed %d):"
            + " products %d warmed, %d hits, %d misses written back without TTL;"
            + " sessions %d created, %d refreshed; %d cart updates; %d rate-limited; %d failed",
        result.requests(),
        result.elapsed().toNanos() / 1e9,
        config.host(),
        config.port(),
        config.workers(),
        config.workers() == 1 ? "" : "s",
        config.seed(),
        result.productsWarmed(),
        result.productHits(),
        result.productMisses(),
        result.sessionsCreated(),
        result.sessionsRefreshed(),
        result.cartUpdates(),
        result.rateLimited(),
        result.failedRequests());
  }

  private static String describe(Throwable error) {
    StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
    Throwable cause = error.getCause();
    for (int depth = 0; cause != null && depth < 3; depth++, cause = cause.getCause()) {
      text.append(" (").append(cause.getMessage()).append(')');
    }
    return text.toString();
  }
}
