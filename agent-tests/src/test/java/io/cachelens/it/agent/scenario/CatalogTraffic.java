package io.cachelens.it.agent.scenario;

import java.util.UUID;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A forked service for the agent's own tests: a fixed, countable mix of commands over one Jedis
 * connection.
 *
 * <p>Arguments: host, port, then what to do: {@code plain} (the countable mix), {@code slow} (adds
 * one blocking command of ~150 ms and one error reply). Prints {@code done} at the end.
 */
public final class CatalogTraffic {
  /** Product cache writes without TTL. */
  public static final int PRODUCT_WRITES = 100;

  /** Session writes with a TTL. */
  public static final int SESSION_WRITES = 40;

  /** Product cache reads. */
  public static final int PRODUCT_READS = 60;

  private CatalogTraffic() {}

  public static void main(String[] args) {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String mode = args.length > 2 ? args[2] : "plain";
    try (Jedis jedis = new Jedis(host, port)) {
      for (int i = 0; i < PRODUCT_WRITES; i++) {
        jedis.set("product:cache:" + i, "{\"id\":" + i + "}");
      }
      for (int i = 0; i < SESSION_WRITES; i++) {
        jedis.setex("session:user:" + UUID.randomUUID(), 3600, "user-" + i);
      }
      for (int i = 0; i < PRODUCT_READS; i++) {
        jedis.get("product:cache:" + i);
      }
      if (mode.equals("slow")) {
        slowAndFailing(jedis);
      }
    }
    System.out.println("done");
  }

  /** One command slower than the default 10 ms threshold, one that fails. */
  static void slowAndFailing(Jedis jedis) {
    jedis.blpop(0.15, "queue:empty");
    try {
      jedis.incr("product:cache:1");
    } catch (JedisDataException expected) {
      System.out.println("error reply: " + expected.getMessage());
    }
  }
}
