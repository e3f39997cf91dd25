package io.cachelens.examples.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimiterConfigTest {

  @Test
  void defaultsWithoutFlagsOrEnvironment() {
    assertThat(RateLimiterConfig.parse(new String[0], Map.of()))
        .isEqualTo(new RateLimiterConfig("127.0.0.1", 6379, 1_000, 500, Duration.ofSeconds(60)));
  }

  @Test
  void flagsOverrideEnvironmentOverDefaults() {
    RateLimiterConfig config =
        RateLimiterConfig.parse(
            new String[] {"--port", "7000", "--rate=50"},
            Map.of(
                "REDIS_HOST", "cache",
                "REDIS_PORT", "6380",
                "RATELIMIT_REQUESTS", "20",
                "RATELIMIT_RATE", "10",
                "RATELIMIT_DURATION", "3s"));

    assertThat(config)
        .isEqualTo(new RateLimiterConfig("cache", 7000, 20, 50, Duration.ofSeconds(3)));
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> RateLimiterConfig.parse(new String[] {"--workers", "2"}, Map.of()))
        .hasMessage("unknown argument: --workers");
    assertThatThrownBy(() -> RateLimiterConfig.parse(new String[] {"--rate", "0"}, Map.of()))
        .hasMessageContaining("--rate must be 1..100000");
    assertThatThrownBy(() -> RateLimiterConfig.parse(new String[] {"--requests", "0"}, Map.of()))
        .hasMessageContaining("--requests must be at least 1");
    assertThatThrownBy(() -> RateLimiterConfig.parse(new String[] {"--port=0"}, Map.of()))
        .hasMessageContaining("1..65535");
  }
}
