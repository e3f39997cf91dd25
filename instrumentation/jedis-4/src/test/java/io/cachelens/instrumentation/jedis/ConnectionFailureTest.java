package io.cachelens.instrumentation.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachelens.instrumentation.jedis.RecordingSink.Recorded;
import io.cachelens.testing.redis.RedisServer;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** Broken connections: killed server, timeouts, refused connects. Each test has its own server. */
class ConnectionFailureTest {
  static {
    TestAgent.install();
  }

  private final RecordingSink sink = TestAgent.SINK;
  private RedisServer server;

  @BeforeEach
  void start() {
    server = RedisServer.builder().build().start();
    sink.clear();
  }

  @AfterEach
  void stop() {
    server.close();
    assertThat(TestAgent.ERRORS).isEmpty();
    assertThat(sink.problems()).isEmpty();
  }

  private List<String> texts(List<Recorded> recorded) {
    return recorded.stream().map(Recorded::text).collect(Collectors.toList());
  }

  @Test
  void aCommandOnAConnectionToAKilledServerFailsAndTheConnectionClosesOnce() {
    try (JedisPool pool = new JedisPool(new JedisPoolConfig(), server.host(), server.port())) {
      try (Jedis jedis = pool.getResource()) {
        jedis.set("k", "v");
      }
      server.kill();
      try (Jedis jedis = pool.getResource()) {
        assertThatThrownBy(() -> jedis.get("k")).isInstanceOf(JedisConnectionException.class);
      }
      assertThat(sink.closed(server.port())).hasSize(1);
    }
    List<Recorded> recorded = sink.serviceCommands(server.port());
    assertThat(texts(recorded)).containsExactly("SET k v", "GET k");
    assertThat(recorded.get(0).error()).isNull();
    assertThat(recorded.get(1).error()).isInstanceOf(JedisConnectionException.class);
    assertThat(sink.opened(server.port())).hasSize(1);
    assertThat(sink.closed(server.port())).hasSize(1);
  }

  @Test
  void aPipelineOnABrokenConnectionFailsEveryCommand() {
    Jedis jedis = new Jedis(server.host(), server.port());
    jedis.ping();
    server.kill();
    Pipeline pipeline = jedis.pipelined();
    pipeline.set("a", "1");
    pipeline.set("b", "2");
    pipeline.get("a");
    assertThatThrownBy(pipeline::sync).isInstanceOf(JedisConnectionException.class);
    jedis.close();
    jedis.getConnection().disconnect();
    List<Recorded> recorded = sink.commands(server.port());
    assertThat(texts(recorded)).containsExactly("PING", "SET a 1", "SET b 2", "GET a");
    assertThat(recorded.subList(1, 4))
        .allSatisfy(
            r -> {
              assertThat(r.error()).isInstanceOf(JedisConnectionException.class);
              assertThat(r.pipelined()).isTrue();
              assertThat(r.batchSize()).isEqualTo(3);
            });
    assertThat(sink.opened(server.port())).hasSize(1);
    assertThat(sink.closed(server.port())).hasSize(1);
  }

  @Test
  void aReadTimeoutIsReportedAsTheCommandsError() {
    Jedis jedis =
        new Jedis(
            new HostAndPort(server.host(), server.port()),
            DefaultJedisClientConfig.builder().socketTimeoutMillis(300).build());
    try {
      jedis.set("k", "v");
      server.pause();
      long before = System.nanoTime();
      assertThatThrownBy(() -> jedis.get("k")).isInstanceOf(JedisConnectionException.class);
      List<Recorded> service = sink.serviceCommands(server.port());
      assertThat(texts(service)).containsExactly("SET k v", "GET k");
      Recorded get = service.get(1);
      assertThat(get.error()).isInstanceOf(JedisConnectionException.class);
      assertThat(get.endNanos() - get.startNanos()).isGreaterThanOrEqualTo(250_000_000L);
      assertThat(get.startNanos()).isGreaterThanOrEqualTo(before);
    } finally {
      server.resume();
      jedis.close();
    }
    assertThat(sink.closed(server.port())).hasSize(1);
  }

  @Test
  void aRefusedConnectReportsTheCommandWithoutOpeningAConnection() {
    int port = server.port();
    server.stop();
    try (Jedis jedis = new Jedis(server.host(), port)) {
      assertThatThrownBy(() -> jedis.get("k")).isInstanceOf(JedisConnectionException.class);
      assertThatThrownBy(() -> jedis.get("k")).isInstanceOf(JedisConnectionException.class);
    }
    List<Recorded> recorded = sink.commands(port);
    assertThat(texts(recorded)).containsExactly("GET k", "GET k");
    assertThat(recorded)
        .allSatisfy(r -> assertThat(r.error()).isInstanceOf(JedisConnectionException.class));
    assertThat(recorded.get(0).connection().peer()).isNull();
    assertThat(recorded.get(0).connection().serverPort()).isEqualTo(port);
    assertThat(sink.opened(port)).isEmpty();
    assertThat(sink.closed(port)).isEmpty();
  }

  @Test
  void aReconnectAfterTheServerReturnsOpensANewConnection() {
    try (Jedis jedis = new Jedis(server.host(), server.port())) {
      jedis.set("k", "v");
      server.kill();
      assertThatThrownBy(() -> jedis.get("k")).isInstanceOf(JedisConnectionException.class);
      jedis.disconnect();
      server.start();
      jedis.connect();
      assertThat(jedis.get("k")).isNull();
    }
    assertThat(sink.opened(server.port())).hasSize(2);
    assertThat(sink.closed(server.port())).hasSize(2);
    assertThat(texts(sink.commands(server.port()))).containsExactly("SET k v", "GET k", "GET k");
  }
}
