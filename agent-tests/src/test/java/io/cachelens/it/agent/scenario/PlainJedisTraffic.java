package io.cachelens.it.agent.scenario;

import redis.clients.jedis.Jedis;

/**
 * A forked service that uses only API every Jedis release since 3.x shares (binary compatible), so
 * it runs against releases the agent does not support. Prints {@code done: <value>}.
 */
public final class PlainJedisTraffic {
  private PlainJedisTraffic() {}

  public static void main(String[] args) {
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      for (int i = 0; i < 10; i++) {
        jedis.set("product:cache:" + i, "v" + i);
      }
      System.out.println("done: " + jedis.get("product:cache:9"));
    }
  }
}
