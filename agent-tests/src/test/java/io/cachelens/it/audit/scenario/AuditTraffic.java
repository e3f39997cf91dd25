package io.cachelens.it.audit.scenario;

import java.util.UUID;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * A forked service for the audit tests, reproducing the write-ups' patterns with exact counts.
 *
 * <p>Arguments: host, port, mode: {@code churn} (a connection per rate-limit check), {@code pooled}
 * (the same checks through a pool), {@code misuse} (TTL-less writes, TTL set later in a pipeline,
 * KEEPTTL, KEYS, a big value, an N+1 loop and a hot key on one connection), {@code conditional}
 * (writes that find their key taken, and an EXPIRE that deletes).
 */
public final class AuditTraffic {
  public static final int CHECKS = 120;
  public static final int ORDERS = 50;
  public static final int PRODUCTS = 30;
  public static final int BIG_VALUE_BYTES = 150 * 1024;
  public static final int HOT_READS = 1_500;
  public static final int RETRIES = 10;

  private AuditTraffic() {}

  public static void main(String[] args) {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    switch (args[2]) {
      case "churn" -> {
        for (int i = 0; i < CHECKS; i++) {
          check(host, port);
        }
      }
      case "pooled" -> {
        try (JedisPool pool = new JedisPool(host, port)) {
          for (int i = 0; i < CHECKS; i++) {
            try (Jedis jedis = pool.getResource()) {
              limit(jedis);
            }
          }
        }
      }
      case "misuse" -> misuse(host, port);
      case "conditional" -> {
        try (Jedis jedis = new Jedis(host, port)) {
          conditional(jedis);
        }
      }
      default -> throw new IllegalArgumentException(args[2]);
    }
    System.out.println("done");
  }

  /**
   * The rate limiter of the write-ups: a new connection for every check. Jedis connects at the
   * first command, so the connection opens in {@link #limit}.
   */
  static void check(String host, int port) {
    try (Jedis jedis = new Jedis(host, port)) {
      limit(jedis);
    }
  }

  private static void limit(Jedis jedis) {
    String key = "ratelimit:" + UUID.randomUUID();
    jedis.incr(key);
    jedis.expire(key, 60);
  }

  private static void misuse(String host, int port) {
    try (Jedis jedis = new Jedis(host, port)) {
      Pipeline pipeline = jedis.pipelined();
      for (int i = 0; i < ORDERS; i++) {
        pipeline.hset("order:recent:" + i, "total", Integer.toString(i));
        pipeline.expire("order:recent:" + i, 600);
      }
      pipeline.sync();
      jedis.setex("session:user:" + UUID.randomUUID(), 3600, "a");
      String kept = "session:user:" + UUID.randomUUID();
      jedis.set(kept, "v1", SetParams.setParams().ex(3600));
      jedis.set(kept, "v2", SetParams.setParams().keepTtl());
      for (int i = 0; i < PRODUCTS; i++) {
        jedis.set("product:cache:" + i, "{\"id\":" + i + "}");
      }
      jedis.keys("order:recent:*");
      jedis.set("blob:report:1".getBytes(), new byte[BIG_VALUE_BYTES]);
      readProductsOneByOne(jedis);
      for (int i = 0; i < HOT_READS; i++) {
        jedis.get("config:flags");
      }
    }
  }

  /**
   * Only the first SETNX and the first SET NX EX write anything; EXPIRE with a negative time
   * deletes the counter, so the INCR after it creates a new key without TTL.
   */
  private static void conditional(Jedis jedis) {
    for (int i = 0; i < RETRIES; i++) {
      jedis.setnx("flag:1001", "on");
      jedis.set("lock:1001", "worker-1", SetParams.setParams().nx().ex(30));
    }
    jedis.incr("counter:1001");
    jedis.expire("counter:1001", -5);
    jedis.incr("counter:1001");
    // Another instance gave the quota key its TTL (a script here, which the audit does not read);
    // EXPIRE NX then replies 0, which says the key has one: the INCR is not left without TTL.
    jedis.eval("redis.call('SET', KEYS[1], '0', 'EX', '60')", 1, "quota:1001");
    jedis.incr("quota:1001");
    jedis.expire("quota:1001", 60, ExpiryOption.NX);
    // Refused by the server: a text value is not a counter.
    jedis.set("text:1001", "abc");
    for (int i = 0; i < RETRIES; i++) {
      try {
        jedis.incr("text:1001");
      } catch (JedisDataException refused) {
        // expected: ERR value is not an integer
      }
    }
  }

  /** The N+1 loop: one GET per product where one MGET would do. */
  static void readProductsOneByOne(Jedis jedis) {
    for (int i = 0; i < PRODUCTS; i++) {
      jedis.get("product:cache:" + i);
    }
  }
}
