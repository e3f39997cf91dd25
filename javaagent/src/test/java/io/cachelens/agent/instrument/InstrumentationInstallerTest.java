package io.cachelens.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.agent.config.AgentConfig;
import io.cachelens.agent.config.ConfigSource;
import io.cachelens.instrumentation.spi.ClientInstrumentation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstrumentationInstallerTest {

  @Test
  void enablesBothClientFamiliesAndHoldsBackExactlyTheClassesTheyName() {
    InstrumentationInstaller.Modules modules =
        InstrumentationInstaller.enabledModules(config(Map.of()));

    assertThat(modules.modules())
        .extracting(ClientInstrumentation::name)
        .containsExactly("jedis-4", "lettuce-6");
    assertThat(modules.internalNames())
        .contains("redis/clients/jedis/Connection", "io/lettuce/core/protocol/DefaultEndpoint")
        .allMatch(name -> !name.contains("."));
    int named =
        modules.modules().stream().mapToInt(module -> module.instrumentedTypes().size()).sum();
    assertThat(modules.internalNames()).hasSize(named);
  }

  @Test
  void leavesOutAModuleDisabledByConfiguration() {
    InstrumentationInstaller.Modules modules =
        InstrumentationInstaller.enabledModules(
            config(Map.of("cachelens.instrumentation.jedis-4.enabled", "false")));

    assertThat(modules.modules())
        .extracting(ClientInstrumentation::name)
        .containsExactly("lettuce-6");
    assertThat(modules.internalNames()).noneMatch(name -> name.startsWith("redis/clients/"));
  }

  private static AgentConfig config(Map<String, String> properties) {
    return AgentConfig.load(ConfigSource.of(properties, Map.of()));
  }
}
