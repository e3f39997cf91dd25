package io.cachelens.instrumentation.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachelens.instrumentation.api.RedisConnection;
import io.cachelens.instrumentation.api.StateCarrier;
import io.cachelens.instrumentation.jedis.RecordingSink.Recorded;
import io.cachelens.testing.redis.RedisServerExtension;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/** Plain {@code Jedis}: one connection, commands, errors, pipelines, transactions, SELECT. */
class JedisCommandsTest {
  static {
    TestAgent.install();
  }

  @RegisterExtension static RedisServerExtension redis = RedisServerExtension.withConfig();

  private final RecordingSink sink = TestAgent.SINK;

  @BeforeEach
  void clear() {
    redis.client().command("FLUSHALL");
    sink.clear();
  }

  @AfterEach
  void noProblems() {
    assertThat(TestAgent.ERRORS).isEmpty();
    assertThat(sink.problems()).isEmpty();
  }

  private Jedis jedis() {
    return new Jedis(redis.host(), redis.port());
  }

  private List<String> texts(List<Recorded> recorded) {
    return recorded.stream().map(Recorded::text).collect(Collectors.toList());
  }

  @Test
  void connectionIsInstrumented() {
    try (Jedis jedis = jedis()) {
      assertThat(jedis.getConnection()).isInstanceOf(StateCarrier.class);
      assertThat(((StateCarrier) jedis.getConnection()).cachelens$getState()).isNull();
      jedis.ping();
      Object state = ((StateCarrier) jedis.getConnection()).cachelens$getState();
      assertThat(state).isInstanceOf(JedisConnectionState.class);
      RedisConnection connection = ((JedisConnectionState) state).connection();
      assertThat(connection.client()).isEqualTo("jedis");
      assertThat(connection.serverAddress()).isEqualTo(redis.host());
      assertThat(connection.serverPort()).isEqualTo(redis.port());
      assertThat(connection.peer().getPort()).isEqualTo(redis.port());
      assertThat(connection.peer().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      assertThat(connection.local()).isNotNull();
      assertThat(connection.local().getPort()).isPositive();
      assertThat(connection.database()).isZero();
      assertThat(connection.handshaking()).isFalse();
      assertThat(connection.reader()).isSameAs(JedisCommandReader.INSTANCE);
    }
    assertThat(TestAgent.TRANSFORMED).contains("redis.clients.jedis.Connection");
  }

  @Test
  void everySetAndGetIsReportedOnceWithNameArgumentsAndTiming() {
    int n = 25;
    try (Jedis jedis = jedis()) {
      for (int i = 0; i < n; i++) {
        jedis.set("product:cache:" + i, "v" + i);
      }
      for (int i = 0; i < n; i++) {
        assertThat(jedis.get("product:cache:" + i)).isEqualTo("v" + i);
      }
    }
    List<Recorded> recorded = sink.commands(redis.port());
    assertThat(recorded).hasSize(2 * n);
    for (int i = 0; i < n; i++) {
      assertThat(recorded.get(i).text()).isEqualTo("SET product:cache:" + i + " v" + i);
      assertThat(recorded.get(n + i).text()).isEqualTo("GET product:cache:" + i);
    }
    for (Recorded r : recorded) {
      assertThat(r.error()).isNull();
      assertThat(r.flags()).isZero();
      assertThat(r.batchSize()).isZero();
      assertThat(r.endNanos()).isGreaterThanOrEqualTo(r.startNanos());
      assertThat(r.command()).isInstanceOf(redis.clients.jedis.CommandArguments.class);
    }
    for (int i = 1; i < recorded.size(); i++) {
      assertThat(recorded.get(i).startNanos())
          .isGreaterThanOrEqualTo(recorded.get(i - 1).endNanos());
    }
    // Protocol.Command constants are the identity-stable command types.
    assertThat(JedisCommandReader.INSTANCE.commandType(recorded.get(0).command()))
        .isSameAs(Protocol.Command.SET);
    assertThat(sink.opened(redis.port())).hasSize(1);
    assertThat(sink.closed(redis.port())).hasSize(1);
    assertThat(sink.closed(redis.port()).get(0)).isSameAs(sink.opened(redis.port()).get(0));
  }

  @Test
  void anErrorReplyIsReportedWithItsErrorAndTheConnectionStaysInStep() {
    try (Jedis jedis = jedis()) {
      jedis.set("user:1", "x");
      assertThatThrownBy(() -> jedis.lpush("user:1", "y")).isInstanceOf(JedisDataException.class);
      assertThat(jedis.get("user:1")).isEqualTo("x");
    }
    List<Recorded> recorded = sink.commands(redis.port());
    assertThat(texts(recorded)).containsExactly("SET user:1 x", "LPUSH user:1 y", "GET user:1");
    assertThat(recorded.get(0).error()).isNull();
    assertThat(recorded.get(1).error())
        .isInstanceOf(JedisDataException.class)
        .hasMessageContaining("WRONGTYPE");
    assertThat(recorded.get(2).error()).isNull();
  }

  @Test
  void jedisMethodsThatWriteAndReadDirectlyAreReported() {
    try (Jedis jedis = jedis()) {
      jedis.ping();
      jedis.echo("hello");
      jedis.dbSize();
      jedis.info("server");
      jedis.configGet("maxmemory");
      jedis.sendCommand(Protocol.Command.SET, "raw", "1");
      jedis.sendCommand(Protocol.Command.GET, "raw");
    }
    assertThat(texts(sink.commands(redis.port())))
        .containsExactly(
            "PING",
            "ECHO hello",
            "DBSIZE",
            "INFO server",
            "CONFIG GET maxmemory",
            "SET raw 1",
            "GET raw");
  }

  @Test
  void aPipelineReportsEachCommandWithItsBatchAndPerCommandErrors() {
    long beforeSync;
    long afterSync;
    try (Jedis jedis = jedis()) {
      jedis.set("list", "not-a-list");
      sink.clearCommands();
      Pipeline pipeline = jedis.pipelined();
      pipeline.set("a", "1");
      pipeline.set("b", "2");
      pipeline.incr("counter");
      Response<Long> failed = pipeline.lpush("list", "x");
      pipeline.get("a");
      beforeSync = System.nanoTime();
      pipeline.sync();
      afterSync = System.nanoTime();
      assertThatThrownBy(failed::get).isInstanceOf(JedisDataException.class);

      Pipeline second = jedis.pipelined();
      second.get("a");
      second.get("b");
      second.del("a");
      List<Object> all = second.syncAndReturnAll();
      assertThat(all).containsExactly("1", "2", 1L);
      jedis.get("b");
    }
    List<Recorded> recorded = sink.commands(redis.port());
    assertThat(texts(recorded))
        .containsExactly(
            "SET a 1",
            "SET b 2",
            "INCR counter",
            "LPUSH list x",
            "GET a",
            "GET a",
            "GET b",
            "DEL a",
            "GET b");
    for (int i = 0; i < 5; i++) {
      Recorded r = recorded.get(i);
      assertThat(r.pipelined()).as(r.text()).isTrue();
      assertThat(r.batchSize()).isEqualTo(5);
      assertThat(r.startNanos()).isLessThan(beforeSync);
      assertThat(r.endNanos()).isBetween(beforeSync, afterSync);
      if (i == 3) {
        assertThat(r.error())
            .isInstanceOf(JedisDataException.class)
            .hasMessageContaining("WRONGTYPE");
      } else {
        assertThat(r.error()).as(r.text()).isNull();
      }
    }
    for (int i = 1; i < 5; i++) {
      assertThat(recorded.get(i).startNanos())
          .isGreaterThanOrEqualTo(recorded.get(i - 1).startNanos());
    }
    for (int i = 5; i < 8; i++) {
      assertThat(recorded.get(i).pipelined()).isTrue();
      assertThat(recorded.get(i).batchSize()).isEqualTo(3);
    }
    assertThat(recorded.get(8).flags()).isZero();
    assertThat(recorded.get(8).batchSize()).isZero();
  }

  @Test
  void aTransactionReportsMultiItsCommandsAndExecWithPerCommandErrors() {
    long beforeExec;
    long afterExec;
    try (Jedis jedis = jedis()) {
      jedis.set("text", "t");
      sink.clearCommands();
      Transaction tx = jedis.multi();
      tx.set("a", "1");
      tx.incr("n");
      tx.lpush("text", "x");
      beforeExec = System.nanoTime();
      List<Object> results = tx.exec();
      afterExec = System.nanoTime();
      assertThat(results).hasSize(3);
      assertThat(results.get(2)).isInstanceOf(JedisDataException.class);
      assertThat(jedis.get("a")).isEqualTo("1");
    }
    List<Recorded> recorded = sink.commands(redis.port());
    assertThat(texts(recorded))
        .containsExactly("MULTI", "SET a 1", "INCR n", "LPUSH text x", "EXEC", "GET a");
    for (Recorded r : recorded.subList(0, 5)) {
      assertThat(r.transaction()).as(r.text()).isTrue();
      assertThat(r.pipelined()).as(r.text()).isFalse();
      assertThat(r.batchSize()).as(r.text()).isEqualTo(3);
      assertThat(r.endNanos()).as(r.text()).isBetween(beforeExec, afterExec);
    }
    assertThat(recorded.get(0).error()).isNull();
    assertThat(recorded.get(1).error()).isNull();
    assertThat(recorded.get(2).error()).isNull();
    assertThat(recorded.get(3).error())
        .isInstanceOf(JedisDataException.class)
        .hasMessageContaining("WRONGTYPE");
    assertThat(recorded.get(4).error()).isNull();
    assertThat(recorded.get(5).flags()).isZero();
    assertThat(recorded.get(5).batchSize()).isZero();
  }

  @Test
  void aDiscardedTransactionAndAnAbortedOneAreReported() {
    try (Jedis jedis = jedis()) {
      Transaction discarded = jedis.multi();
      discarded.set("a", "1");
      discarded.discard();

      Transaction aborted = jedis.multi();
      aborted.set("b", "1");
      aborted.sendCommand(
          () -> "NOSUCHCOMMAND".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "x");
      assertThatThrownBy(aborted::exec)
          .isInstanceOf(JedisDataException.class)
          .hasMessageContaining("EXECABORT");
      jedis.resetState();
      assertThat(jedis.exists("a", "b")).isZero();
    }
    List<Recorded> recorded = sink.commands(redis.port());
    assertThat(texts(recorded))
        .containsExactly(
            "MULTI",
            "SET a 1",
            "DISCARD",
            "MULTI",
            "SET b 1",
            "NOSUCHCOMMAND x",
            "EXEC",
            "EXISTS a b");
    assertThat(recorded.subList(0, 3)).allSatisfy(r -> assertThat(r.error()).isNull());
    assertThat(recorded.subList(0, 3)).allSatisfy(r -> assertThat(r.batchSize()).isEqualTo(1));
    assertThat(recorded.get(3).error()).isNull();
    // queued fine, but never run: the transaction failed with EXECABORT
    assertThat(recorded.get(4).error()).hasMessageContaining("EXECABORT");
    assertThat(recorded.get(5).error()).hasMessageContaining("unknown command");
    assertThat(recorded.get(6).error()).hasMessageContaining("EXECABORT");
    assertThat(recorded.subList(3, 7)).allSatisfy(r -> assertThat(r.transaction()).isTrue());
    assertThat(recorded.subList(3, 7)).allSatisfy(r -> assertThat(r.batchSize()).isEqualTo(2));
    assertThat(recorded.get(7).flags()).isZero();
  }

  @Test
  void selectUpdatesTheConnectionsDatabase() {
    try (Jedis jedis = jedis()) {
      jedis.set("k", "0");
      jedis.select(3);
      jedis.set("k", "3");
      Pipeline pipeline = jedis.pipelined();
      pipeline.select(5);
      pipeline.set("k", "5");
      pipeline.sync();
      Transaction tx = jedis.multi();
      tx.sendCommand(Protocol.Command.SELECT, "7");
      tx.set("k", "7");
      tx.exec();
      jedis.get("k");
      assertThatThrownBy(() -> jedis.select(99)).isInstanceOf(JedisDataException.class);
      jedis.get("k");
    }
    List<Recorded> recorded = sink.commands(redis.port());
    assertThat(texts(recorded))
        .containsExactly(
            "SET k 0",
            "SELECT 3",
            "SET k 3",
            "SELECT 5",
            "SET k 5",
            "MULTI",
            "SELECT 7",
            "SET k 7",
            "EXEC",
            "GET k",
            "SELECT 99",
            "GET k");
    assertThat(recorded.stream().map(Recorded::database))
        .containsExactly(0, 3, 3, 5, 5, 5, 7, 7, 7, 7, 7, 7);
    assertThat(recorded.get(10).error()).isInstanceOf(JedisDataException.class);
    assertThat(redis.client().command("SELECT", "7")).isEqualTo("OK");
  }

  @Test
  void aConfiguredDatabaseIsSelectedByTheHandshakeAsAnInternalCommand() {
    try (Jedis jedis =
        new Jedis(
            new HostAndPort(redis.host(), redis.port()),
            DefaultJedisClientConfig.builder().database(2).build())) {
      jedis.set("k", "v");
    }
    List<Recorded> recorded = sink.commands(redis.port());
    assertThat(sink.opened(redis.port())).hasSize(1);
    assertThat(sink.opened(redis.port()).get(0).database()).isEqualTo(2);
    List<Recorded> internal = recorded.stream().filter(Recorded::internal).toList();
    assertThat(texts(internal)).contains("SELECT 2");
    assertThat(internal).allSatisfy(r -> assertThat(r.handshaking()).isTrue());
    assertThat(texts(sink.serviceCommands(redis.port()))).containsExactly("SET k v");
    Recorded set = sink.serviceCommands(redis.port()).get(0);
    assertThat(set.database()).isEqualTo(2);
    assertThat(set.handshaking()).isFalse();
  }

  @Test
  void pubSubRepliesDoNotShiftLaterCommands() throws Exception {
    try (Jedis subscriber = jedis();
        Jedis publisher = jedis()) {
      java.util.concurrent.CountDownLatch subscribed = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch received = new java.util.concurrent.CountDownLatch(3);
      JedisPubSub listener =
          new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int subscribedChannels) {
              subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
              received.countDown();
            }
          };
      Thread thread = new Thread(() -> subscriber.subscribe(listener, "news", "alerts"));
      thread.start();
      assertThat(subscribed.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 3; i++) {
        publisher.publish("news", "m" + i);
      }
      assertThat(received.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      listener.unsubscribe();
      thread.join(10_000);
      assertThat(thread.isAlive()).isFalse();
      subscriber.set("after", "pubsub");
      assertThat(subscriber.get("after")).isEqualTo("pubsub");
    }
    List<String> texts = texts(sink.commands(redis.port()));
    assertThat(texts)
        .containsSubsequence(
            "SUBSCRIBE news alerts", "UNSUBSCRIBE", "SET after pubsub", "GET after");
    assertThat(texts.stream().filter(t -> t.startsWith("PUBLISH"))).hasSize(3);
    assertThat(texts).hasSize(7);
  }

  @Test
  void manyPipelinedCommandsGrowTheRingAndStayInOrder() {
    int n = 3000;
    try (Jedis jedis = jedis()) {
      Pipeline pipeline = jedis.pipelined();
      IntStream.range(0, n).forEach(i -> pipeline.set("k" + i, Integer.toString(i)));
      pipeline.sync();
      jedis.get("k7");
    }
    List<Recorded> recorded = sink.commands(redis.port());
    assertThat(recorded).hasSize(n + 1);
    for (int i = 0; i < n; i++) {
      assertThat(recorded.get(i).text()).isEqualTo("SET k" + i + " " + i);
      assertThat(recorded.get(i).batchSize()).isEqualTo(n);
    }
    assertThat(recorded.get(n).text()).isEqualTo("GET k7");
    assertThat(Set.of(recorded.get(n).flags())).containsExactly(0);
  }
}
