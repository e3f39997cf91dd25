package io.cachelens.testing.jvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentJvmTest {

  private static AgentJvm.Builder forkedMain(String... steps) {
    return AgentJvm.builder()
        .withoutAgent()
        .mainClass(ForkedMain.class.getName())
        .addClasspath(Classpaths.testClasses())
        .args(steps);
  }

  @Test
  void runsAMainClassWithoutAnAgentAndCapturesOutputAndExitCode() {
    AgentJvm.Result result =
        forkedMain("out", "hello stdout", "err", "hello stderr", "out", "bye", "exit", "3").run();

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("hello stdout\nbye\n");
    assertThat(result.stderr()).isEqualTo("hello stderr\n");
    assertThat(result.output()).contains("hello stdout\n", "hello stderr\n", "bye\n");
    assertThat(result.toString())
        .contains("exited with code 3", "hello stdout", "hello stderr", ForkedMain.class.getName());
    assertThatThrownBy(result::requireSuccess)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("hello stderr");
    assertThat(result.command()).doesNotContain("-javaagent").contains("-cp");
  }

  @Test
  void passesSystemPropertiesEnvironmentJvmArgsAndWorkingDirectory(@TempDir Path workDir) {
    AgentJvm.Result result =
        forkedMain("prop", "cachelens.mode", "prop", "user.dir", "env", "OTEL_SERVICE_NAME")
            .systemProperty("cachelens.mode", "test")
            .env("OTEL_SERVICE_NAME", "forked")
            .jvmArg("-Xmx64m")
            .workingDirectory(workDir)
            .run()
            .requireSuccess();

    assertThat(result.stdout())
        .contains("prop cachelens.mode=test", "env OTEL_SERVICE_NAME=forked")
        .contains("prop user.dir=" + workDir);
    assertThat(result.command()).contains("-Xmx64m", "-Dcachelens.mode=test");
  }

  @Test
  void theChildDoesNotInheritOtelOrCachelensVariables() {
    // Surefire sets both in this JVM's environment (see pom.xml).
    assertThat(System.getenv("OTEL_CACHELENS_TEST_LEAK")).isEqualTo("from-parent");
    assertThat(System.getenv("CACHELENS_TEST_LEAK")).isEqualTo("from-parent");

    AgentJvm.Builder builder =
        forkedMain("env", "OTEL_CACHELENS_TEST_LEAK", "env", "CACHELENS_TEST_LEAK");

    assertThat(builder.environment())
        .doesNotContainKeys("OTEL_CACHELENS_TEST_LEAK", "CACHELENS_TEST_LEAK")
        .containsEntry("PATH", System.getenv("PATH"));
    assertThat(builder.run().requireSuccess().stdout())
        .contains("env OTEL_CACHELENS_TEST_LEAK=null", "env CACHELENS_TEST_LEAK=null");
  }

  @Test
  void hermeticEnvironmentDropsAgentAndJvmOptionVariables() {
    Map<String, String> parent = new HashMap<>();
    parent.put("PATH", "/usr/bin");
    parent.put("HOME", "/home/test");
    parent.put("OTEL_FOO", "x");
    parent.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://elsewhere:4318");
    parent.put("CACHELENS_MODE", "x");
    parent.put("JAVA_TOOL_OPTIONS", "-javaagent:other.jar");
    parent.put("JDK_JAVA_OPTIONS", "-Xmx1g");
    parent.put("_JAVA_OPTIONS", "-Xmx1g");
    parent.put("CLASSPATH", "/tmp/x.jar");
    Map<String, String> overrides = new HashMap<>();
    overrides.put("OTEL_SERVICE_NAME", "svc");
    overrides.put("HOME", null);

    assertThat(AgentJvm.hermeticEnvironment(parent, overrides))
        .containsOnly(Map.entry("PATH", "/usr/bin"), Map.entry("OTEL_SERVICE_NAME", "svc"));
  }

  @Test
  void largeOutputOnBothStreamsDoesNotDeadlock() {
    int bytes = 4_000_000;
    AgentJvm.Result result = forkedMain("flood", Integer.toString(bytes)).run().requireSuccess();

    assertThat(result.stdout().length()).isEqualTo(bytes);
    assertThat(result.stderr().length()).isEqualTo(bytes);
    assertThat(result.output().length()).isEqualTo(2 * bytes);
  }

  @Test
  void startedJvmCanBeWatchedFedAndAwaited() throws Exception {
    try (AgentJvm.RunningJvm jvm = forkedMain("echo-stdin", "exit", "0").start()) {
      jvm.awaitOutput("waiting for stdin", Duration.ofSeconds(30));
      assertThat(jvm.isAlive()).isTrue();

      OutputStream stdin = jvm.stdin();
      stdin.write("ping\n".getBytes(StandardCharsets.UTF_8));
      stdin.flush();

      AgentJvm.Result result = jvm.waitFor();
      assertThat(result.exitCode()).isZero();
      assertThat(result.stdout()).contains("stdin said ping");
    }
  }

  @Test
  void awaitOutputFailsFastWhenTheJvmEndsWithoutPrinting() {
    AgentJvm.RunningJvm jvm = forkedMain("out", "something else").start();

    assertThatThrownBy(() -> jvm.awaitOutput("never printed", Duration.ofSeconds(30)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ended")
        .hasMessageContaining("something else");
  }

  @Test
  void destroyStopsALongRunningJvm() {
    AgentJvm.RunningJvm jvm = forkedMain("out", "started", "sleep", "60000").start();
    jvm.awaitOutput("started", Duration.ofSeconds(30));

    AgentJvm.Result result = jvm.destroy();

    assertThat(jvm.isAlive()).isFalse();
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stdout()).contains("started");
  }

  @Test
  void runKillsAJvmThatOutlivesItsTimeout() {
    AgentJvm.Builder builder =
        forkedMain("out", "started", "sleep", "60000").timeout(Duration.ofSeconds(1));

    assertThatThrownBy(builder::run)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("did not exit within PT1S")
        .hasMessageContaining("started");
  }

  @Test
  void runsUnderTheGivenAgentJar(@TempDir Path dir) throws Exception {
    Path agentJar = dir.resolve("printing-agent.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", PrintingAgent.class.getName());
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(agentJar), manifest)) {
      jar.flush();
    }

    AgentJvm.Result result =
        forkedMain("out", "main ran")
            .agentJar(agentJar)
            .agentArguments("a=b")
            .run()
            .requireSuccess();

    assertThat(result.stdout()).isEqualTo("premain ran with a=b\nmain ran\n");
    assertThat(result.command()).contains("-javaagent:" + agentJar + "=a=b");
  }

  @Test
  void aMissingAgentJarIsReportedClearly(@TempDir Path dir) {
    AgentJvm.Builder defaultAgent = AgentJvm.builder().mainClass(ForkedMain.class.getName());
    if (System.getProperty(AgentJvm.AGENT_JAR_PROPERTY) == null) {
      assertThatThrownBy(defaultAgent::command)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(AgentJvm.AGENT_JAR_PROPERTY)
          .hasMessageContaining("withoutAgent()");
    }
    assertThatThrownBy(() -> defaultAgent.agentJar(dir.resolve("missing.jar")).command())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing.jar")
        .hasMessageContaining("mvn package");
    assertThatThrownBy(() -> AgentJvm.builder().withoutAgent().command())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mainClass");
  }
}
