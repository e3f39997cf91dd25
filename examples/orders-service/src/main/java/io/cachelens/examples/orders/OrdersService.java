package io.cachelens.examples.orders;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A checkout backend without the HTTP layer: orders come in, are cached in batches in {@link
 * RecentOrders}, and every few batches an operations dashboard refreshes its count of recent
 * orders.
 */
public final class OrdersService {

  /** The dashboard refreshes after the first batch and then after every this many. */
  static final int DASHBOARD_EVERY_BATCHES = 10;

  private static final long FIRST_ORDER_ID = 500_001;
  private static final long SEED = 42;

  private final OrdersConfig config;

  /** Sets the service up; nothing connects before {@link #run}. */
  public OrdersService(OrdersConfig config) {
    this.config = config;
  }

  /**
   * Takes the configured orders, or as many as fit in the configured duration.
   *
   * @throws io.lettuce.core.RedisException when Redis cannot be used
   */
  public Result run() {
    long started = System.nanoTime();
    long deadline = started + config.duration().toNanos();
    Random random = new Random(SEED);
    long taken = 0;
    int batches = 0;
    int refreshes = 0;
    int lastCount = 0;
    try (RecentOrders recent = new RecentOrders(config.host(), config.port())) {
      while (taken < config.requests() && System.nanoTime() - deadline < 0) {
        int size = (int) Math.min(config.batch(), config.requests() - taken);
        List<Order> orders = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          orders.add(takeOrder(FIRST_ORDER_ID + taken + i, random));
        }
        recent.save(orders);
        taken += size;
        batches++;
        if ((batches - 1) % DASHBOARD_EVERY_BATCHES == 0) {
          lastCount = recent.count();
          refreshes++;
        }
      }
    }
    return new Result(
        taken, batches, refreshes, lastCount, Duration.ofNanos(System.nanoTime() - started));
  }

  private static Order takeOrder(long id, Random random) {
    int items = 1 + random.nextInt(5);
    return new Order(
        id,
        10_000 + random.nextInt(90_000),
        items,
        items * (499L + random.nextInt(20_000)),
        Instant.now());
  }

  /**
   * What one run did.
   *
   * @param orders orders taken and cached
   * @param batches pipelines sent
   * @param dashboardRefreshes times the dashboard counted the recent orders with {@code KEYS}
   * @param lastCount what the last count found
   * @param elapsed wall time of the run
   */
  public record Result(
      long orders, int batches, int dashboardRefreshes, int lastCount, Duration elapsed) {}
}
