package io.cachelens.examples.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogConfigTest {

  @Test
  void defaultsWithoutFlagsOrEnvironment() {
    assertThat(CatalogConfig.parse(new String[0], Map.of())).isEqualTo(CatalogConfig.defaults());
    assertThat(CatalogConfig.defaults())
        .isEqualTo(new CatalogConfig("127.0.0.1", 6379, 5_000, Duration.ofSeconds(60), 4, 42));
  }

  @Test
  void environmentOverridesDefaults() {
    CatalogConfig config =
        CatalogConfig.parse(
            new String[0],
            Map.of(
                "REDIS_HOST", "redis.internal",
                "REDIS_PORT", "6380",
                "CATALOG_REQUESTS", "200",
                "CATALOG_DURATION", "3s",
                "CATALOG_WORKERS", "2",
                "CATALOG_SEED", "7"));

    assertThat(config)
        .isEqualTo(new CatalogConfig("redis.internal", 6380, 200, Duration.ofSeconds(3), 2, 7));
  }

  @Test
  void flagsOverrideEnvironmentInBothSpellings() {
    CatalogConfig config =
        CatalogConfig.parse(
            new String[] {"--port", "7000", "--requests=10", "--duration", "1500ms", "--seed=-3"},
            Map.of("REDIS_PORT", "6380", "REDIS_HOST", "cache"));

    assertThat(config)
        .isEqualTo(new CatalogConfig("cache", 7000, 10, Duration.ofMillis(1500), 4, -3));
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> CatalogConfig.parse(new String[] {"--verbose"}, Map.of()))
        .hasMessageContaining("unknown argument: --verbose");
    assertThatThrownBy(() -> CatalogConfig.parse(new String[] {"--port"}, Map.of()))
        .hasMessageContaining("--port needs a value");
    assertThatThrownBy(() -> CatalogConfig.parse(new String[] {"--port", "70000"}, Map.of()))
        .hasMessageContaining("1..65535");
    assertThatThrownBy(() -> CatalogConfig.parse(new String[] {"--requests", "0"}, Map.of()))
        .hasMessageContaining("--requests");
    assertThatThrownBy(() -> CatalogConfig.parse(new String[0], Map.of("REDIS_PORT", "x")))
        .hasMessageContaining("port is not a number");
  }
}
