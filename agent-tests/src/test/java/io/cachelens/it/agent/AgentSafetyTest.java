package io.cachelens.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.it.agent.scenario.CatalogTraffic;
import io.cachelens.it.agent.scenario.PlainJedisTraffic;
import io.cachelens.testing.jvm.AgentJvm;
import io.cachelens.testing.jvm.Classpaths;
import io.cachelens.testing.redis.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent never breaks the service: bad configuration and the kill switch leave it running
 * untouched.
 */
class AgentSafetyTest {
  @RegisterExtension static RedisServerExtension redis = RedisServerExtension.withConfig();

  @TempDir Path reports;

  @Test
  void invalidConfigurationDisablesTheAgentWithOneClearLine() {
    AgentJvm.Result result =
        service().systemProperty("cachelens.spans.root", "sometimes").run().requireSuccess();

    assertThat(result.stdout()).contains("done");
    assertThat(agentLines(result.stderr()))
        .containsExactly(
            "[cachelens] disabled by an invalid configuration, the service runs without it: "
                + "cachelens.spans.root=sometimes is not valid; accepted values: slow, all, none");
    assertThat(reports).isEmptyDirectory();
  }

  @Test
  void invalidEnvironmentValueIsReportedUnderItsPropertyName() {
    AgentJvm.Result result = service().env("CACHELENS_PREFIX_LIMIT", "lots").run().requireSuccess();

    assertThat(agentLines(result.stderr())).hasSize(1);
    assertThat(agentLines(result.stderr()).get(0))
        .contains("cachelens.prefix.limit=lots")
        .contains("a whole number from 3 to 65536");
    assertThat(reports).isEmptyDirectory();
  }

  @Test
  void killSwitchKeepsTheAgentOut() {
    AgentJvm.Result result = service().env("CACHELENS_ENABLED", "false").run().requireSuccess();

    assertThat(result.stdout()).contains("done");
    assertThat(agentLines(result.stderr()))
        .containsExactly(
            "[cachelens] disabled by cachelens.enabled=false; the service runs without it");
    assertThat(reports).isEmptyDirectory();
  }

  @Test
  void unwritableReportDirectoryIsLoggedAndTheServiceExitsNormally() throws Exception {
    Path blocker = reports.resolve("not-a-directory");
    Files.writeString(blocker, "a file where the report directory should be");
    AgentJvm.Result result =
        service().systemProperty("cachelens.report.dir", blocker.toString()).run().requireSuccess();

    assertThat(result.stdout()).contains("done");
    assertThat(result.stderr()).contains("[cachelens] could not write the audit to " + blocker);
  }

  @Test
  void anUnsupportedClientReleaseIsLoggedOnceAndLeftAlone() throws Exception {
    List<Path> classpath = new ArrayList<>();
    classpath.add(Classpaths.testClasses());
    classpath.addAll(Classpaths.clientLibrary("jedis-3.10.0"));
    AgentJvm.Result result =
        AgentJvm.builder()
            .mainClass(PlainJedisTraffic.class.getName())
            .classpath(classpath)
            .args(redis.host(), Integer.toString(redis.port()))
            .systemProperty("cachelens.report.dir", reports.toString())
            .systemProperty("otel.service.name", "legacy")
            .run()
            .requireSuccess();

    assertThat(result.stdout()).contains("done: v9");
    assertThat(agentLines(result.stderr()))
        .filteredOn(line -> line.contains("does not instrument"))
        .containsExactly(
            "[cachelens] redis.clients.jedis.Connection is from a client release CacheLens does not"
                + " instrument (supported: Jedis 4.x to 8.x, Lettuce 6.1 to 7.x); that client runs"
                + " uninstrumented");
    assertThat(Files.readString(reports.resolve("legacy.json"))).contains("\"commands\": 0");
  }

  private AgentJvm.Builder service() {
    List<Path> classpath = new ArrayList<>();
    classpath.add(Classpaths.testClasses());
    classpath.addAll(Classpaths.clientLibrary("jedis-5.2.0"));
    return AgentJvm.builder()
        .mainClass(CatalogTraffic.class.getName())
        .classpath(classpath)
        .args(redis.host(), Integer.toString(redis.port()))
        .systemProperty("cachelens.report.dir", reports.toString())
        .systemProperty("otel.service.name", "catalog");
  }

  static List<String> agentLines(String stderr) {
    List<String> lines = new ArrayList<>();
    for (String line : stderr.split("\\R")) {
      if (line.startsWith("[cachelens]")) {
        lines.add(line);
      }
    }
    return lines;
  }
}
