package io.cachelens.testing.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisServerExtensionStaticFieldTest {

  @RegisterExtension
  static RedisServerExtension redis = RedisServerExtension.withConfig("maxmemory 10mb");

  private static RedisServer serverSeenBeforeAll;

  @BeforeAll
  static void rememberServer() {
    serverSeenBeforeAll = redis.server();
  }

  @Test
  void oneServerServesTheWholeClass() {
    assertThat(redis.server()).isSameAs(serverSeenBeforeAll);
    assertThat(redis.server().isRunning()).isTrue();
    assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
    assertThat(redis.host()).isEqualTo("127.0.0.1");
  }

  @Test
  void configLinesReachTheServer() {
    assertThat(redis.client().configGet("maxmemory")).isEqualTo("10485760");
  }

  @Test
  void theServerIsAlsoInjectedIntoParameters(RedisServer injected) {
    assertThat(injected).isSameAs(serverSeenBeforeAll);
  }

  @Nested
  class NestedTests {
    @Test
    void nestedClassesShareTheServer(RedisServer injected) {
      assertThat(redis.server()).isSameAs(serverSeenBeforeAll);
      assertThat(injected).isSameAs(serverSeenBeforeAll);
    }
  }
}
