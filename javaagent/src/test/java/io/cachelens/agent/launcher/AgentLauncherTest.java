package io.cachelens.agent.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentLauncherTest {

  @Test
  void readsFeatureVersionOfOldAndNewSchemes() {
    assertThat(AgentLauncher.javaFeatureVersion("1.8")).isEqualTo(8);
    assertThat(AgentLauncher.javaFeatureVersion("11")).isEqualTo(11);
    assertThat(AgentLauncher.javaFeatureVersion("17")).isEqualTo(17);
    assertThat(AgentLauncher.javaFeatureVersion("25")).isEqualTo(25);
    assertThat(AgentLauncher.javaFeatureVersion("26-ea")).isEqualTo(26);
    assertThat(AgentLauncher.javaFeatureVersion(null)).isEqualTo(-1);
    assertThat(AgentLauncher.javaFeatureVersion("x")).isEqualTo(-1);
  }

  @Test
  void oldJvmMessageSaysWhatAndThatTheServiceRuns() {
    assertThat(AgentLauncher.unsupportedJvmMessage(11))
        .isEqualTo("needs Java 17 or newer but runs on Java 11; the service runs without it");
  }
}
