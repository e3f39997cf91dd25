package io.cachelens.testing.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class RedisServerExtensionInjectionTest {

  private final RedisServer fromConstructor;
  private RedisServer fromBeforeEach;

  RedisServerExtensionInjectionTest(RedisServer server) {
    this.fromConstructor = server;
  }

  @BeforeEach
  void setUp(RedisServer server) {
    fromBeforeEach = server;
  }

  @Test
  void constructorLifecycleAndTestParametersGetTheSameRunningServer(RedisServer server) {
    assertThat(server).isSameAs(fromConstructor).isSameAs(fromBeforeEach);
    assertThat(server.isRunning()).isTrue();
    assertThat(server.client().command("PING")).isEqualTo("PONG");
  }
}
