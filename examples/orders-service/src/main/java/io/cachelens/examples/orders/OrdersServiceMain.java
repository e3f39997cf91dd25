package io.cachelens.examples.orders;

import io.cachelens.examples.support.Flags;
import io.lettuce.core.RedisException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the orders service once and prints one line of what it did.
 *
 * <p>Exit status: 0 when the run finished, 1 when Redis could not be used, 2 for bad arguments.
 */
public final class OrdersServiceMain {

  private OrdersServiceMain() {}

  /** Entry point of {@code java -jar orders-service.jar}. */
  public static void main(String[] args) {
    // Exit explicitly: the run is over even if a library left a non-daemon thread behind.
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs the service as {@link #main} does and returns the exit status instead of exiting. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (Flags.asksForHelp(args)) {
      out.println(OrdersConfig.USAGE);
      return 0;
    }
    OrdersConfig config;
    try {
      config = OrdersConfig.parse(args, env);
    } catch (IllegalArgumentException e) {
      err.println("orders-service: " + e.getMessage());
      err.println(OrdersConfig.USAGE);
      return 2;
    }
    OrdersService.Result result;
    try {
      result = new OrdersService(config).run();
    } catch (RedisException e) {
      err.println(
          "orders-service: cannot use Redis at "
              + config.host()
              + ":"
              + config.port()
              + ": "
              + e.getMessage());
      return 1;
    }
    out.println(summaryLine(config, result));
    return 0;
  }

  /** The one line printed at the end of a run. */
  static String summaryLine(OrdersConfig config, OrdersService.Result result) {
    return String.format(
        Locale.ROOT,
        "orders-service: %d orders in %.2f s against %s:%d, cached with HSET + EXPIRE in %d"
            + " pipelines; the dashboard ran KEYS %s %d times (last count %d)",
        result.orders(),
        result.elapsed().toNanos() / 1e9,
        config.host(),
        config.port(),
        result.batches(),
        RecentOrders.KEY_PREFIX + "*",
        result.dashboardRefreshes(),
        result.lastCount());
  }
}
