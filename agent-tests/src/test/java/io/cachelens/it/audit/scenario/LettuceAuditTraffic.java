package io.cachelens.it.audit.scenario;

import io.lettuce.core.ExpireArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.UUID;

/**
 * A forked service for the audit tests on Lettuce, which opens connections and completes commands
 * on event loops while the service's thread waits.
 *
 * <p>Arguments: host, port, mode: {@code churn} (the rate limiter of the write-ups, a connection
 * per check), {@code shared} (one connection for every check, as Lettuce intends), {@code storm}
 * (an N+1 loop of GETs through the sync API, then the same reads in one MGET) or {@code slow} (a
 * worker polling an empty queue with a blocking pop) or {@code conditional} (writes that find their
 * key taken, and an EXPIRE that deletes) or {@code misuse} (product writes without TTL, and KEYS
 * through the async API).
 */
public final class LettuceAuditTraffic {
  public static final int CHECKS = 80;
  public static final int PRODUCTS = 40;
  public static final int POLLS = 24;
  public static final int RETRIES = 10;

  private LettuceAuditTraffic() {}

  public static void main(String[] args) throws Exception {
    RedisClient client = RedisClient.create(RedisURI.create(args[0], Integer.parseInt(args[1])));
    try {
      switch (args[2]) {
        case "churn" -> {
          for (int i = 0; i < CHECKS; i++) {
            check(client);
          }
        }
        case "shared" -> {
          try (StatefulRedisConnection<String, String> connection = client.connect()) {
            for (int i = 0; i < CHECKS; i++) {
              limit(connection.sync());
            }
          }
        }
        case "storm" -> {
          try (StatefulRedisConnection<String, String> connection = client.connect()) {
            readProductsOneByOne(connection.sync());
            connection.sync().mget(productKeys());
          }
        }
        case "slow" -> {
          try (StatefulRedisConnection<String, String> connection = client.connect()) {
            for (int i = 0; i < POLLS; i++) {
              pollJobs(connection.sync());
            }
          }
        }
        case "conditional" -> {
          try (StatefulRedisConnection<String, String> connection = client.connect()) {
            conditional(connection.sync());
          }
        }
        case "misuse" -> {
          try (StatefulRedisConnection<String, String> connection = client.connect()) {
            cacheProducts(connection.sync());
            listProductKeys(connection.async()).get();
          }
        }
        default -> throw new IllegalArgumentException(args[2]);
      }
    } finally {
      client.shutdown();
    }
    System.out.println("done");
  }

  /** A new connection for every check: the call site the audit must name. */
  static void check(RedisClient client) {
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      limit(connection.sync());
    }
  }

  /**
   * The Jedis scenario's, on keys of its own (the tests share one server): only first attempts
   * write; a negative EXPIRE deletes.
   */
  private static void conditional(RedisCommands<String, String> commands) {
    for (int i = 0; i < RETRIES; i++) {
      commands.setnx("flag:2002", "on");
      commands.set("lock:2002", "worker-1", SetArgs.Builder.nx().ex(30));
    }
    commands.incr("counter:2002");
    commands.expire("counter:2002", -5);
    commands.incr("counter:2002");
    // Another instance gave the quota key its TTL; EXPIRE NX replying 0 says so.
    commands.eval(
        "redis.call('SET', KEYS[1], '0', 'EX', '60')", ScriptOutputType.STATUS, "quota:2002");
    commands.incr("quota:2002");
    commands.expire("quota:2002", 60, ExpireArgs.Builder.nx());
    // Refused by the server: a text value is not a counter.
    commands.set("text:2002", "abc");
    for (int i = 0; i < RETRIES; i++) {
      try {
        commands.incr("text:2002");
      } catch (RedisCommandExecutionException refused) {
        // expected: ERR value is not an integer
      }
    }
  }

  /** The catalog of the write-ups: product pages cached with no expiry. */
  static void cacheProducts(RedisCommands<String, String> commands) {
    for (int i = 0; i < PRODUCTS; i++) {
      commands.set("product:cache:" + i, "{\"id\":" + i + "}");
    }
  }

  /** A dashboard listing keys with KEYS; async, so nothing waits for it on this thread. */
  static RedisFuture<List<String>> listProductKeys(RedisAsyncCommands<String, String> commands) {
    return commands.keys("product:cache:*");
  }

  /** The N+1 pattern: one round trip per product where one MGET would do. */
  static void readProductsOneByOne(RedisCommands<String, String> commands) {
    for (String key : productKeys()) {
      commands.get(key);
    }
  }

  /** Each poll of the empty queue blocks for 60 ms on the server: slow by design, and by line. */
  static void pollJobs(RedisCommands<String, String> commands) {
    commands.blpop(0.06, "queue:jobs");
  }

  private static String[] productKeys() {
    String[] keys = new String[PRODUCTS];
    for (int i = 0; i < PRODUCTS; i++) {
      keys[i] = "product:" + (1000 + i);
    }
    return keys;
  }

  private static void limit(RedisCommands<String, String> commands) {
    String key = "ratelimit:" + UUID.randomUUID();
    commands.incr(key);
    commands.expire(key, 60);
  }
}
