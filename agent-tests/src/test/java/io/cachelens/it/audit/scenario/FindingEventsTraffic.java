package io.cachelens.it.audit.scenario;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;

/**
 * A forked service for the OpenTelemetry audit test, in two phases with exact counts; the test
 * releases the second phase by writing a line to stdin once the first phase's findings were
 * exported and a few report windows passed without change.
 *
 * <p>Phase 1 (then prints {@value #PHASE_ONE_DONE} and waits): {@value #PRODUCTS} TTL-less writes
 * to {@code product:cache:*} (a warning below {@value #CRITICAL_WRITES}), TTLs set later in a
 * pipeline on {@code order:recent:*} and with SET EX on {@code session:user:*}, one KEYS, an N+1
 * loop of GETs and {@value #CHURN} connections opened one per request. Phase 2: {@value
 * #MORE_PRODUCTS} more TTL-less product writes (now critical), {@value #CATALOG_ITEMS} TTL-less
 * writes to a new prefix {@code catalog:item:*}, and the same KEYS and N+1 loop again (same
 * findings, new numbers).
 *
 * <p>Arguments: host, port.
 */
public final class FindingEventsTraffic {
  public static final String PHASE_ONE_DONE = "phase 1 done";
  public static final int CHURN = 60;
  public static final int PRODUCTS = 30;
  public static final int MORE_PRODUCTS = 30;
  public static final int CATALOG_ITEMS = 15;
  public static final int ORDERS = 20;
  public static final int SESSIONS = 5;

  /** What the test sets {@code cachelens.audit.no_ttl_writes.critical_writes} to. */
  public static final int CRITICAL_WRITES = 50;

  private FindingEventsTraffic() {}

  public static void main(String[] args) throws IOException {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    try (Jedis jedis = new Jedis(host, port)) {
      openShared(jedis);
      writeProducts(jedis, 0, PRODUCTS);
      writeOrdersWithTtlLater(jedis);
      for (int i = 0; i < SESSIONS; i++) {
        jedis.set("session:user:" + UUID.randomUUID(), "s", SetParams.setParams().ex(3600));
      }
      listOrders(jedis);
      readProductsOneByOne(jedis);
      for (int i = 0; i < CHURN; i++) {
        openPerRequest(host, port, i);
      }
      System.out.println(PHASE_ONE_DONE);
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      if (in.readLine() == null) {
        throw new IllegalStateException("stdin closed before phase 2");
      }
      writeProducts(jedis, PRODUCTS, MORE_PRODUCTS);
      Pipeline pipeline = jedis.pipelined();
      for (int i = 0; i < CATALOG_ITEMS; i++) {
        pipeline.set("catalog:item:" + i, "{}");
      }
      pipeline.sync();
      listOrders(jedis);
      readProductsOneByOne(jedis);
    }
    System.out.println("done");
  }

  /** The shared connection opens here: Jedis connects at the first command. */
  static void openShared(Jedis jedis) {
    jedis.ping();
  }

  /** TTL-less writes, pipelined so that they make no N+1 run. */
  static void writeProducts(Jedis jedis, int from, int count) {
    Pipeline pipeline = jedis.pipelined();
    for (int i = from; i < from + count; i++) {
      pipeline.set("product:cache:" + i, "{\"id\":" + i + "}");
    }
    pipeline.sync();
  }

  /** HSET then EXPIRE in one pipeline: the writes get their TTL later, none is left without. */
  static void writeOrdersWithTtlLater(Jedis jedis) {
    Pipeline pipeline = jedis.pipelined();
    for (int i = 0; i < ORDERS; i++) {
      pipeline.hset("order:recent:" + i, "total", Integer.toString(i));
      pipeline.expire("order:recent:" + i, 600);
    }
    pipeline.sync();
  }

  static void listOrders(Jedis jedis) {
    jedis.keys("order:recent:*");
  }

  /** The N+1 loop: one GET per product where one MGET would do. */
  static void readProductsOneByOne(Jedis jedis) {
    for (int i = 0; i < PRODUCTS; i++) {
      jedis.get("product:cache:" + i);
    }
  }

  /**
   * A connection per request. SET with EX then GET: two different commands, so the loop makes no
   * N+1 run, and no write waits for an EXPIRE.
   */
  static void openPerRequest(String host, int port, int request) {
    try (Jedis jedis = new Jedis(host, port)) {
      jedis.set("ratelimit:" + request, "1", SetParams.setParams().ex(60));
      jedis.get("ratelimit:" + request);
    }
  }
}
