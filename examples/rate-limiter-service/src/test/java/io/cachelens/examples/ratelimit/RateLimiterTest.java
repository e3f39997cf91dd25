package io.cachelens.examples.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.testing.redis.RedisServerExtension;
import io.cachelens.testing.redis.RespClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Checks the limiter against a real redis-server, connection churn included. */
class RateLimiterTest {

  @RegisterExtension static RedisServerExtension redis = new RedisServerExtension();

  private RespClient client;

  @BeforeEach
  void emptyServer() {
    client = redis.client();
    client.command("FLUSHALL");
  }

  @Test
  void allowsUpToTheLimitPerWindowAndExpiresTheCounter() {
    RateLimiter limiter = new RateLimiter(redis.host(), redis.port(), 3, 60);

    assertThat(limiter.check("client-a")).isTrue();
    assertThat(client.call("TTL", "ratelimit:client-a")).isEqualTo(60L);
    assertThat(limiter.check("client-a")).isTrue();
    assertThat(limiter.check("client-a")).isTrue();
    assertThat(limiter.check("client-a")).isFalse();
    assertThat(limiter.check("client-b")).isTrue();

    assertThat(client.command("GET", "ratelimit:client-a")).isEqualTo("4");
    assertThat((Long) client.call("TTL", "ratelimit:client-a")).isBetween(1L, 60L);
    assertThat(client.command("GET", "ratelimit:client-b")).isEqualTo("1");
  }

  @Test
  void opensAndClosesAConnectionForEveryCheck() {
    RateLimiter limiter = new RateLimiter(redis.host(), redis.port(), 100, 60);
    long before = connectionsReceived();

    for (int i = 0; i < 10; i++) {
      limiter.check("client-a");
    }

    assertThat(connectionsReceived() - before).isEqualTo(10);
  }

  private long connectionsReceived() {
    String stats = client.command("INFO", "stats");
    return Long.parseLong(stats.replaceAll("(?s).*total_connections_received:(\\d+).*", "$1"));
  }
}
