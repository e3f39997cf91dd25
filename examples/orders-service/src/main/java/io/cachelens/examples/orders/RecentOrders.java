package io.cachelens.examples.orders;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The recent-orders cache in Redis: one {@code order:recent:<id>} hash per order, which expires
 * after an hour.
 *
 * <p>Writes go through a connection of their own with auto-flush off: a batch of orders is queued
 * as {@code HSET} + {@code EXPIRE} per order and sent with one flush, so every key gets its TTL in
 * the same pipeline that creates it. That part is right. {@link #count} is not: it asks {@code KEYS
 * order:recent:*}, which walks the whole keyspace in one call that blocks every other client.
 */
public final class RecentOrders implements AutoCloseable {

  /** Keys are this prefix and the order number. */
  static final String KEY_PREFIX = "order:recent:";

  /** How long an order stays in the cache. */
  static final Duration TTL = Duration.ofHours(1);

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> pipeline;
  private final StatefulRedisConnection<String, String> queries;

  /**
   * Connects to Redis: one connection for pipelined writes, one for queries.
   *
   * @throws RedisException when Redis cannot be reached
   */
  public RecentOrders(String host, int port) {
    client =
        RedisClient.create(
            RedisURI.builder().withHost(host).withPort(port).withTimeout(TIMEOUT).build());
    try {
      pipeline = client.connect();
      pipeline.setAutoFlushCommands(false);
      queries = client.connect();
    } catch (RuntimeException e) {
      shutDown();
      throw e;
    }
  }

  /**
   * Caches the orders with one pipeline: {@code HSET} and {@code EXPIRE} for each, one flush, then
   * waits for every reply.
   *
   * @throws RedisException when a command fails or a reply does not come in time
   */
  public void save(List<Order> orders) {
    RedisAsyncCommands<String, String> commands = pipeline.async();
    List<RedisFuture<?>> replies = new ArrayList<>(2 * orders.size());
    for (Order order : orders) {
      String key = KEY_PREFIX + order.id();
      replies.add(commands.hset(key, order.fields()));
      replies.add(commands.expire(key, TTL.toSeconds()));
    }
    pipeline.flushCommands();
    if (!LettuceFutures.awaitAll(TIMEOUT, replies.toArray(new RedisFuture<?>[0]))) {
      throw new RedisCommandTimeoutException(
          "no reply to a pipeline of " + replies.size() + " commands within " + TIMEOUT);
    }
  }

  /**
   * How many orders the cache holds, counted the way the dashboard in the write-ups did it.
   *
   * @throws RedisException when the command fails
   */
  public int count() {
    // The bug: KEYS is O(all keys on the server) and blocks Redis while it runs. SCAN with MATCH
    // and COUNT, or a counter kept on write, gives the same answer without stalling other clients.
    return queries.sync().keys(KEY_PREFIX + "*").size();
  }

  /** Closes both connections and the client's threads. */
  @Override
  public void close() {
    shutDown();
  }

  private void shutDown() {
    // Closes the connections too; no quiet period, so the JVM does not linger after the run.
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
