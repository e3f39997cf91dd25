package io.cachelens.instrumentation.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachelens.instrumentation.api.RedisConnection;
import io.cachelens.instrumentation.jedis.RecordingSink.Recorded;
import io.cachelens.testing.redis.RedisServerExtension;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.exceptions.JedisDataException;

/** The connect handshake (AUTH, CLIENT SETNAME, CLIENT SETINFO, SELECT) is INTERNAL. */
class HandshakeTest {
  static {
    TestAgent.install();
  }

  @RegisterExtension
  static RedisServerExtension redis = RedisServerExtension.withConfig("requirepass s3cret");

  private final RecordingSink sink = TestAgent.SINK;

  @BeforeEach
  void clear() {
    sink.clear();
  }

  @AfterEach
  void noProblems() {
    assertThat(TestAgent.ERRORS).isEmpty();
    assertThat(sink.problems()).isEmpty();
  }

  private static List<String> names(List<Recorded> recorded) {
    return recorded.stream()
        .map(r -> r.arguments().isEmpty() ? r.name() : r.name() + " " + r.arguments().get(0))
        .collect(Collectors.toList());
  }

  @Test
  void handshakeCommandsAreInternalAndServiceCommandsAreNot() {
    DefaultJedisClientConfig config =
        DefaultJedisClientConfig.builder()
            .password("s3cret")
            .clientName("checkout")
            .database(1)
            .build();
    try (Jedis jedis = new Jedis(new HostAndPort(redis.host(), redis.port()), config)) {
      jedis.set("cart:1", "x");
      jedis.get("cart:1");
      assertThat(jedis.clientGetname()).isEqualTo("checkout");
    }
    List<Recorded> recorded = sink.commands(redis.port());
    List<Recorded> internal = recorded.stream().filter(Recorded::internal).toList();
    assertThat(names(internal))
        .containsExactly(
            "AUTH s3cret", "CLIENT SETNAME", "CLIENT SETINFO", "CLIENT SETINFO", "SELECT 1");
    // CLIENT SETINFO needs Redis 7.2: older servers answer with an error, which Jedis ignores.
    assertThat(internal)
        .filteredOn(r -> !r.arguments().get(0).equals("SETINFO"))
        .allSatisfy(r -> assertThat(r.error()).isNull());
    assertThat(internal).allSatisfy(r -> assertThat(r.handshaking()).isTrue());
    assertThat(internal.get(1).arguments()).containsExactly("SETNAME", "checkout");
    List<Recorded> service = sink.serviceCommands(redis.port());
    assertThat(names(service)).containsExactly("SET cart:1", "GET cart:1", "CLIENT GETNAME");
    assertThat(service).allSatisfy(r -> assertThat(r.handshaking()).isFalse());
    assertThat(service).allSatisfy(r -> assertThat(r.database()).isEqualTo(1));
    RedisConnection connection = sink.opened(redis.port()).get(0);
    assertThat(connection.database()).isEqualTo(1);
    assertThat(sink.opened(redis.port())).hasSize(1);
    assertThat(sink.closed(redis.port())).hasSize(1);
  }

  @Test
  void aPooledHandshakeIsInternalToo() {
    try (JedisPool pool =
        new JedisPool(
            new JedisPoolConfig(),
            new HostAndPort(redis.host(), redis.port()),
            DefaultJedisClientConfig.builder().password("s3cret").clientName("pooled").build())) {
      try (Jedis jedis = pool.getResource()) {
        jedis.incr("n");
      }
    }
    assertThat(names(sink.serviceCommands(redis.port()))).containsExactly("INCR n");
    assertThat(names(sink.commands(redis.port(), Recorded::internal)))
        .containsExactly("AUTH s3cret", "CLIENT SETNAME", "CLIENT SETINFO", "CLIENT SETINFO");
  }

  @Test
  void aRejectedPasswordIsAnInternalErrorAndTheConnectionClosesOnce() {
    DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().password("wrong").build();
    assertThatThrownBy(() -> new Jedis(new HostAndPort(redis.host(), redis.port()), config))
        .isInstanceOf(JedisDataException.class);
    List<Recorded> recorded = sink.commands(redis.port());
    assertThat(names(recorded)).containsExactly("AUTH wrong");
    assertThat(recorded.get(0).internal()).isTrue();
    assertThat(recorded.get(0).error()).isInstanceOf(JedisDataException.class);
    assertThat(sink.opened(redis.port())).hasSize(1);
    assertThat(sink.closed(redis.port())).hasSize(1);
  }
}
