package io.cachelens.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.testing.redis.RedisServerExtension;
import io.cachelens.testing.redis.RespClient;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Checks the recent-orders cache against a real redis-server. */
class RecentOrdersTest {

  @RegisterExtension static RedisServerExtension redis = new RedisServerExtension();

  private RespClient client;

  @BeforeEach
  void emptyServer() {
    client = redis.client();
    client.command("FLUSHALL");
  }

  @Test
  void savesEachOrderAsAHashThatExpiresAndCountsThem() {
    Instant placed = Instant.parse("2026-11-23T11:00:00Z");
    try (RecentOrders recent = new RecentOrders(redis.host(), redis.port())) {
      recent.save(
          List.of(new Order(7, 12_345, 2, 3_998, placed), new Order(8, 500, 1, 99, placed)));
      client.command("SET", "unrelated", "x");

      assertThat(recent.count()).isEqualTo(2);
    }

    assertThat(client.call("HGETALL", "order:recent:7"))
        .isEqualTo(
            List.of(
                "customer", "12345",
                "items", "2",
                "totalCents", "3998",
                "currency", "EUR",
                "status", "placed",
                "placedAt", "2026-11-23T11:00:00Z"));
    for (String key : List.of("order:recent:7", "order:recent:8")) {
      assertThat((Long) client.call("TTL", key))
          .as("TTL of %s", key)
          .isBetween(1L, RecentOrders.TTL.toSeconds());
    }
  }
}
