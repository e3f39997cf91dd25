package io.cachelens.it.jedis.scenario;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * A small service using Jedis the common ways, run under the agent against every Jedis release in
 * agent-tests/clients. Compiled against Jedis 5.2.0 but only uses API common to 5.x to 8.x; the
 * pooled client is JedisPooled up to 7.x and RedisClient from 8.0, found by reflection.
 *
 * <p>What it sends (service commands; {@link #EXPECTED} counts them): 34 SET, 21 GET, 6 INCR, 1
 * LPUSH (a WRONGTYPE error), MULTI, EXEC and SELECT once each; over 3 connections.
 */
public final class JedisScenario {
  /** Service commands per name, for the test's assertions. */
  public static final String EXPECTED = "SET=34,GET=21,INCR=6,LPUSH=1,MULTI=1,EXEC=1,SELECT=1";

  public static final String DONE = "JEDIS SCENARIO DONE";

  private JedisScenario() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);

    JedisPoolConfig poolConfig = new JedisPoolConfig();
    poolConfig.setTestOnBorrow(true);
    try (JedisPool pool =
        new JedisPool(
            poolConfig,
            new HostAndPort(host, port),
            DefaultJedisClientConfig.builder().clientName("scenario").build())) {
      for (int i = 0; i < 20; i++) {
        try (Jedis jedis = pool.getResource()) {
          jedis.set("product:cache:" + i, "secret-value-" + i, SetParams.setParams().ex(300));
        }
      }
      for (int i = 0; i < 20; i++) {
        try (Jedis jedis = pool.getResource()) {
          if (jedis.get("product:cache:" + i) == null) {
            throw new IllegalStateException("product:cache:" + i + " is missing");
          }
        }
      }
      for (int i = 0; i < 10; i++) {
        try (Jedis jedis = pool.getResource()) {
          jedis.set("session:" + i, "token-" + i);
        }
      }
      try (Jedis jedis = pool.getResource()) {
        jedis.set("text", "plain");
        try {
          jedis.lpush("text", "x");
          throw new IllegalStateException("LPUSH on a string should fail");
        } catch (JedisDataException expected) {
          // WRONGTYPE
        }
        Pipeline pipeline = jedis.pipelined();
        for (int i = 0; i < 5; i++) {
          pipeline.incr("counter:hits");
        }
        pipeline.sync();
        Transaction transaction = jedis.multi();
        transaction.set("order:1", "new");
        transaction.incr("order:count");
        if (transaction.exec().size() != 2) {
          throw new IllegalStateException("EXEC should return two replies");
        }
      }
    }

    try (Jedis jedis = new Jedis(host, port)) {
      jedis.select(2);
      jedis.set("db2:key", "x");
    }

    UnifiedJedis pooled = pooledClient(host, port);
    try {
      pooled.set("pooled:1", "x");
      pooled.get("pooled:1");
    } finally {
      pooled.close();
    }
    System.out.println(DONE);
  }

  /** JedisPooled (Jedis 4.x to 7.x) or RedisClient (8.x), whichever this release has. */
  static UnifiedJedis pooledClient(String host, int port) throws ReflectiveOperationException {
    try {
      Class<?> jedisPooled = Class.forName("redis.clients.jedis.JedisPooled");
      return (UnifiedJedis)
          jedisPooled.getConstructor(String.class, int.class).newInstance(host, port);
    } catch (ClassNotFoundException removedIn8) {
      Class<?> redisClient = Class.forName("redis.clients.jedis.RedisClient");
      return (UnifiedJedis)
          redisClient.getMethod("create", String.class, int.class).invoke(null, host, port);
    }
  }
}
