package io.cachelens.instrumentation.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.instrumentation.api.CommandFlags;
import io.cachelens.instrumentation.api.RedisConnection;
import io.cachelens.instrumentation.lettuce.RecordingSink.Completed;
import io.cachelens.testing.redis.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connection lifecycle: open, close, server-side kill, crash and restart. One server per test. */
class LettuceConnectionTest {

  @RegisterExtension RedisServerExtension redis = RedisServerExtension.withConfig();

  private final RecordingSink sink = RecordingSink.INSTANCE;
  private RedisClient client;

  @BeforeEach
  void clear() {
    sink.clear();
  }

  @AfterEach
  void shutdown() {
    if (client != null) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    assertThat(TestAgent.errors()).isEmpty();
  }

  @Test
  void clientKillClosesAndReconnectOpensANewConnection() {
    client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
    StatefulRedisConnection<String, String> connection = client.connect();
    sink.awaitState("open", s -> s.opened().size() == 1);
    RedisConnection first = sink.opened().get(0);

    redis
        .client()
        .command("CLIENT", "KILL", "ADDR", "127.0.0.1:" + first.local().getPort(), "SKIPME", "no");
    sink.awaitState("reconnect", s -> s.closed().size() == 1 && s.opened().size() == 2);
    RedisConnection second = sink.opened().get(1);
    assertThat(sink.closed()).containsExactly(first);
    assertThat(second).isNotSameAs(first);
    assertThat(second.local().getPort()).isNotEqualTo(first.local().getPort());
    assertThat(second.serverAddress()).isEqualTo(redis.host());
    assertThat(second.serverPort()).isEqualTo(redis.port());

    assertThat(connection.sync().ping()).isEqualTo("PONG");
    Completed ping = sink.await(c -> c.name.equals("PING"), 1).get(0);
    assertThat(ping.connection).isSameAs(second);

    connection.close();
    sink.awaitState("closed", s -> s.closed().size() == 2);
    RecordingSink.settle();
    assertThat(sink.closed()).containsExactly(first, second);
    assertThat(sink.opened()).hasSize(2);
  }

  @Test
  void commandsQueuedWhileTheServerIsDownCountTheOutageAndGoToTheNewConnection() throws Exception {
    client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
    StatefulRedisConnection<String, String> connection = client.connect();
    sink.awaitState("open", s -> s.opened().size() == 1);
    RedisConnection first = sink.opened().get(0);

    redis.server().kill();
    sink.awaitState("closed", s -> s.closed().size() == 1);
    RedisFuture<String> set = connection.async().set("queued", "v");
    RecordingSink.sleep(300);
    assertThat(set.isDone()).isFalse();
    redis.server().start();

    assertThat(set.get(20, TimeUnit.SECONDS)).isEqualTo("OK");
    Completed queued = sink.await(c -> c.name.equals("SET"), 1).get(0);
    assertThat(sink.opened()).hasSize(2);
    RedisConnection second = sink.opened().get(1);
    assertThat(queued.connection).isSameAs(second).isNotSameAs(first);
    assertThat(queued.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(queued.error).isNull();
  }

  @Test
  void databaseFromTheUriSurvivesReconnectAndHandshakeIsNotReported() {
    RedisURI uri = RedisURI.create(redis.host(), redis.port());
    uri.setDatabase(2);
    uri.setClientName("cachelens-test");
    client = RedisClient.create(uri);
    StatefulRedisConnection<String, String> connection = client.connect();
    sink.awaitState("open", s -> s.opened().size() == 1);
    RedisConnection first = sink.opened().get(0);
    assertThat(first.database()).isEqualTo(2);
    RecordingSink.settle();
    assertThat(sink.commands()).as("handshake HELLO/AUTH/SETNAME/SELECT").isEmpty();

    connection.sync().select(5);
    sink.await(1);
    assertThat(first.database()).isEqualTo(5);

    redis
        .client()
        .command("CLIENT", "KILL", "ADDR", "127.0.0.1:" + first.local().getPort(), "SKIPME", "no");
    sink.awaitState("reconnect", s -> s.opened().size() == 2);
    RedisConnection second = sink.opened().get(1);
    assertThat(second.database()).isEqualTo(5);
    RecordingSink.settle();
    // Lettuce re-selects the database in its reconnect handshake, which is not reported either.
    assertThat(sink.commands()).hasSize(1);
  }

  @Test
  void pubSubResubscribeAfterReconnectIsInternal() {
    client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
    StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
    sink.awaitState("open", s -> s.opened().size() == 1);
    RedisConnection first = sink.opened().get(0);
    pubSub.sync().subscribe("news");
    Completed subscribe = sink.await(c -> c.name.equals("SUBSCRIBE"), 1).get(0);
    assertThat(subscribe.has(CommandFlags.INTERNAL)).isFalse();

    redis
        .client()
        .command("CLIENT", "KILL", "ADDR", "127.0.0.1:" + first.local().getPort(), "SKIPME", "no");
    List<Completed> subscribes = sink.await(c -> c.name.equals("SUBSCRIBE"), 2);
    Completed resubscribe = subscribes.get(1);
    assertThat(resubscribe.has(CommandFlags.INTERNAL)).as(resubscribe.toString()).isTrue();
    assertThat(resubscribe.connection).isSameAs(sink.opened().get(1));
  }
}
