package io.cachelens.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.it.agent.scenario.CatalogTraffic;
import io.cachelens.testing.jvm.AgentJvm;
import io.cachelens.testing.jvm.Classpaths;
import io.cachelens.testing.redis.RedisServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent runs on every JDK installed under {@code /usr/lib/jvm} (here: 17 and Temurin 25), not
 * only on the one the build uses: the same service, the same exact counts.
 */
class JdkCompatibilityTest {
  @RegisterExtension static RedisServerExtension redis = RedisServerExtension.withConfig();

  @TempDir Path reports;

  static Stream<Path> installedJdks() throws IOException {
    TreeSet<Path> javas = new TreeSet<>();
    javas.add(Paths.get(System.getProperty("cachelens.test.java", "java")).toRealPath());
    Path jvms = Paths.get("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> dirs = Files.list(jvms)) {
        dirs.map(dir -> dir.resolve("bin/java"))
            .filter(Files::isExecutable)
            .forEach(
                java -> {
                  try {
                    javas.add(java.toRealPath());
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
      }
    }
    return javas.stream();
  }

  @Test
  void temurin25IsAmongTheJdksUnderTestWhereInstalled() throws IOException {
    boolean installed;
    try (Stream<Path> dirs = Files.list(Paths.get("/usr/lib/jvm"))) {
      installed = dirs.anyMatch(dir -> dir.getFileName().toString().startsWith("temurin-25"));
    }
    if (installed) {
      assertThat(installedJdks()).anyMatch(java -> java.toString().contains("temurin-25"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("installedJdks")
  void summaryCountsAreExactOnEveryJdk(Path java) throws Exception {
    List<Path> classpath = new ArrayList<>();
    classpath.add(Classpaths.testClasses());
    classpath.addAll(Classpaths.clientLibrary("jedis-5.2.0"));
    AgentJvm.Result result =
        AgentJvm.builder()
            .java(java)
            .mainClass(CatalogTraffic.class.getName())
            .classpath(classpath)
            .args(redis.host(), Integer.toString(redis.port()), "plain")
            .systemProperty("cachelens.report.dir", reports.toString())
            .systemProperty("otel.service.name", "catalog")
            .run()
            .requireSuccess();

    assertThat(result.stderr())
        .doesNotContain("failed to start")
        .doesNotContain("internal failures");
    String json = Files.readString(reports.resolve("catalog.json"));
    Map<String, Long> totals =
        SummaryAndTelemetryTest.numbers(SummaryAndTelemetryTest.section(json, "\"totals\""));
    assertThat(totals)
        .containsEntry(
            "commands",
            (long)
                (CatalogTraffic.PRODUCT_WRITES
                    + CatalogTraffic.SESSION_WRITES
                    + CatalogTraffic.PRODUCT_READS))
        .containsEntry("connectionsOpened", 1L);
    Map<String, Long> product =
        SummaryAndTelemetryTest.numbers(
            SummaryAndTelemetryTest.prefixEntry(json, "product:cache:*"));
    assertThat(product).containsEntry("writesWithoutTtl", (long) CatalogTraffic.PRODUCT_WRITES);
  }
}
