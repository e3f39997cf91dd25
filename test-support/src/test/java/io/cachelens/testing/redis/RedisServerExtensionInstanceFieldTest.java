package io.cachelens.testing.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisServerExtensionInstanceFieldTest {

  private static final List<RedisServer> SERVERS = new CopyOnWriteArrayList<>();

  @RegisterExtension RedisServerExtension redis = RedisServerExtension.withConfig("maxmemory 5mb");

  @AfterAll
  static void eachTestHadItsOwnServerAndAllAreStopped() {
    assertThat(SERVERS).hasSize(2).doesNotHaveDuplicates();
    assertThat(SERVERS).noneMatch(RedisServer::isRunning);
  }

  @Test
  void first() {
    useServer();
  }

  @Test
  void second() {
    useServer();
  }

  private void useServer() {
    SERVERS.add(redis.server());
    assertThat(redis.client().configGet("maxmemory")).isEqualTo("5242880");
    assertThat(redis.client().command("DBSIZE")).as("fresh server").isEqualTo("0");
    redis.client().command("SET", "k", "v");
  }
}
