package io.cachelens.instrumentation.jedis;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.instrumentation.jedis.RecordingSink.Recorded;
import io.cachelens.testing.redis.RedisServerExtension;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/** Pools: connection reuse, validation PINGs, JedisPooled / UnifiedJedis. */
class JedisPoolsTest {
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

  private static List<String> texts(List<Recorded> recorded) {
    return recorded.stream().map(Recorded::text).collect(Collectors.toList());
  }

  @Test
  void aPoolOpensOneConnectionForSequentialRequests() {
    try (JedisPool pool = new JedisPool(new JedisPoolConfig(), redis.host(), redis.port())) {
      for (int i = 0; i < 10; i++) {
        try (Jedis jedis = pool.getResource()) {
          jedis.incr("hits");
        }
      }
      assertThat(sink.opened(redis.port())).hasSize(1);
      assertThat(sink.closed(redis.port())).isEmpty();
    }
    assertThat(sink.closed(redis.port())).hasSize(1);
    assertThat(texts(sink.serviceCommands(redis.port()))).hasSize(10).containsOnly("INCR hits");
  }

  @Test
  void aNewJedisPerRequestOpensAndClosesAConnectionEachTime() {
    for (int i = 0; i < 5; i++) {
      try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
        jedis.incr("hits");
      }
    }
    assertThat(sink.opened(redis.port())).hasSize(5);
    assertThat(sink.closed(redis.port())).hasSize(5);
    assertThat(sink.closed(redis.port())).containsExactlyElementsOf(sink.opened(redis.port()));
    assertThat(texts(sink.commands(redis.port()))).hasSize(5).containsOnly("INCR hits");
  }

  @Test
  void poolValidationPingsAreInternal() {
    JedisPoolConfig config = new JedisPoolConfig();
    config.setTestOnBorrow(true);
    config.setTestOnReturn(true);
    try (JedisPool pool = new JedisPool(config, redis.host(), redis.port())) {
      for (int i = 0; i < 3; i++) {
        try (Jedis jedis = pool.getResource()) {
          jedis.get("k" + i);
        }
      }
    }
    List<Recorded> all = sink.commands(redis.port());
    List<Recorded> pings = all.stream().filter(r -> r.name().equals("PING")).toList();
    assertThat(pings).hasSize(6).allSatisfy(r -> assertThat(r.internal()).isTrue());
    assertThat(texts(sink.serviceCommands(redis.port())))
        .containsExactly("GET k0", "GET k1", "GET k2");
    assertThat(sink.opened(redis.port())).hasSize(1);
    assertThat(sink.closed(redis.port())).hasSize(1);
  }

  @Test
  void jedisPooledCommandsPipelinesAndValidationAreReported() {
    ConnectionPoolConfig poolConfig = new ConnectionPoolConfig();
    poolConfig.setTestOnBorrow(true);
    try (JedisPooled pooled =
        new JedisPooled(
            poolConfig,
            new HostAndPort(redis.host(), redis.port()),
            DefaultJedisClientConfig.builder().build())) {
      pooled.set("session:1", "a");
      pooled.get("session:1");
      try (AbstractPipeline pipeline = pooled.pipelined()) {
        pipeline.incr("n");
        pipeline.incr("n");
      }
    }
    List<Recorded> service = sink.serviceCommands(redis.port());
    assertThat(texts(service))
        .containsExactly("SET session:1 a", "GET session:1", "INCR n", "INCR n");
    assertThat(service.subList(0, 2)).allSatisfy(r -> assertThat(r.flags()).isZero());
    assertThat(service.subList(2, 4))
        .allSatisfy(
            r -> {
              assertThat(r.pipelined()).isTrue();
              assertThat(r.batchSize()).isEqualTo(2);
            });
    List<Recorded> internal = sink.commands(redis.port(), Recorded::internal);
    assertThat(internal.stream().filter(r -> r.name().equals("PING"))).isNotEmpty();
    assertThat(internal.stream().map(Recorded::name)).containsOnly("PING", "CLIENT");
    assertThat(sink.opened(redis.port())).hasSameSizeAs(sink.closed(redis.port()));
    assertThat(sink.opened(redis.port())).isNotEmpty();
  }

  @Test
  void unifiedJedisOnAHostAndPortIsReported() {
    try (UnifiedJedis unified = new UnifiedJedis(new HostAndPort(redis.host(), redis.port()))) {
      unified.hset("h", "f", "v");
      unified.hget("h", "f");
    }
    assertThat(texts(sink.serviceCommands(redis.port()))).containsExactly("HSET h f v", "HGET h f");
  }
}
