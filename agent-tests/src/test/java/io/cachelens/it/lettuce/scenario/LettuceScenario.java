package io.cachelens.it.lettuce.scenario;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A small service using Lettuce the common ways (sync, async with 64 in flight, reactive,
 * pipelining with auto-flush off, MULTI/EXEC, an error reply, SELECT) over one standalone
 * connection with each release's default client options. Compiled against Lettuce 6.5.5 but uses
 * only API common to 6.1 to 7.x; run under the agent against every Lettuce release in
 * agent-tests/clients.
 *
 * <p>What it sends ({@link #EXPECTED} counts the service commands): 38 SET, 50 GET, 6 INCR, 1 LPUSH
 * (a WRONGTYPE error), MULTI and EXEC once, SELECT twice; 99 in all, on 1 connection.
 */
public final class LettuceScenario {
  /** Service commands per name, for the test's assertions. */
  public static final String EXPECTED = "SET=38,GET=50,INCR=6,LPUSH=1,MULTI=1,EXEC=1,SELECT=2";

  public static final String DONE = "LETTUCE SCENARIO DONE";

  private LettuceScenario() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);

    RedisURI uri = RedisURI.create(host, port);
    uri.setClientName("lettuce-scenario");
    RedisClient client = RedisClient.create(uri);
    try {
      StatefulRedisConnection<String, String> connection = client.connect();
      RedisCommands<String, String> sync = connection.sync();
      RedisAsyncCommands<String, String> async = connection.async();
      RedisReactiveCommands<String, String> reactive = connection.reactive();

      // sync: 20 writes with a TTL, 20 reads, 10 writes without a TTL
      for (int i = 0; i < 20; i++) {
        sync.set("product:cache:" + i, "secret-value-" + i, SetArgs.Builder.ex(300));
      }
      for (int i = 0; i < 20; i++) {
        if (sync.get("product:cache:" + i) == null) {
          throw new IllegalStateException("product:cache:" + i + " is missing");
        }
      }
      for (int i = 0; i < 10; i++) {
        sync.set("session:" + i, "token-" + i);
      }

      // async: 30 reads, at most 64 in flight
      Semaphore inFlight = new Semaphore(64);
      List<RedisFuture<String>> reads = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        inFlight.acquire();
        RedisFuture<String> read = async.get("product:cache:" + (i % 20));
        read.whenComplete((value, error) -> inFlight.release());
        reads.add(read);
      }
      await(reads);

      // reactive: 5 writes, each dispatched on subscribe
      for (int i = 0; i < 5; i++) {
        reactive.set("reactive:" + i, "token-" + i).block();
      }

      // pipelining: 5 INCR in one flush
      connection.setAutoFlushCommands(false);
      List<RedisFuture<Long>> increments = new ArrayList<>();
      try {
        for (int i = 0; i < 5; i++) {
          increments.add(async.incr("counter:hits"));
        }
        connection.flushCommands();
      } finally {
        connection.setAutoFlushCommands(true);
      }
      await(increments);

      // MULTI/EXEC with 2 queued commands
      sync.multi();
      sync.set("order:1", "secret-value-order");
      sync.incr("order:count");
      TransactionResult result = sync.exec();
      if (result.wasDiscarded() || result.size() != 2) {
        throw new IllegalStateException("unexpected transaction result " + result);
      }

      // an error reply
      sync.set("text", "plain");
      try {
        sync.lpush("text", "x");
        throw new IllegalStateException("LPUSH on a string did not fail");
      } catch (RedisCommandExecutionException expected) {
        // WRONGTYPE
      }

      // a write in database 2
      sync.select(2);
      sync.set("db2:key", "token-db2");
      sync.select(0);

      connection.close();
    } finally {
      client.shutdown();
    }
    System.out.println(DONE);
  }

  private static void await(List<? extends RedisFuture<?>> futures) {
    if (!LettuceFutures.awaitAll(30, TimeUnit.SECONDS, futures.toArray(new RedisFuture<?>[0]))) {
      throw new IllegalStateException("commands did not complete");
    }
  }
}
