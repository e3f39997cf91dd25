package io.cachelens.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrdersConfigTest {

  @Test
  void defaultsWithoutFlagsOrEnvironment() {
    assertThat(OrdersConfig.parse(new String[0], Map.of()))
        .isEqualTo(new OrdersConfig("127.0.0.1", 6379, 3_000, 25, Duration.ofSeconds(60)));
  }

  @Test
  void flagsOverrideEnvironmentOverDefaults() {
    OrdersConfig config =
        OrdersConfig.parse(
            new String[] {"--batch=10", "--duration", "2m"},
            Map.of(
                "REDIS_HOST", "cache",
                "ORDERS_REQUESTS", "40",
                "ORDERS_BATCH", "7",
                "ORDERS_DURATION", "3s"));

    assertThat(config).isEqualTo(new OrdersConfig("cache", 6379, 40, 10, Duration.ofMinutes(2)));
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> OrdersConfig.parse(new String[] {"--rate", "2"}, Map.of()))
        .hasMessage("unknown argument: --rate");
    assertThatThrownBy(() -> OrdersConfig.parse(new String[] {"--batch", "0"}, Map.of()))
        .hasMessageContaining("--batch must be 1..10000");
    assertThatThrownBy(() -> OrdersConfig.parse(new String[] {"--duration", "never"}, Map.of()))
        .hasMessageContaining("not a duration: 'never'");
  }
}
