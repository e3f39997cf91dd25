package io.cachelens.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.agent.audit.AuditCollector;
import io.cachelens.agent.config.AgentConfig;
import io.cachelens.agent.config.ConfigSource;
import io.cachelens.agent.sink.CacheLensSink;
import io.cachelens.agent.sink.Targets;
import io.cachelens.agent.telemetry.ApplicationTraceContext;
import io.cachelens.agent.telemetry.CommandSpans;
import io.cachelens.analysis.audit.AuditRules;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.command.CommandCatalog;
import io.cachelens.analysis.prefix.KeyPrefixInferrer;
import io.cachelens.analysis.prefix.PrefixConfig;
import io.cachelens.analysis.stats.CommandStatsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditReporterTest {
  @TempDir Path directory;

  @Test
  void serviceNamesBecomeSafeFileNames() {
    assertThat(AuditReporter.fileName("checkout")).isEqualTo("checkout");
    assertThat(AuditReporter.fileName("team/checkout api")).isEqualTo("team_checkout_api");
    assertThat(AuditReporter.fileName("../../etc/passwd")).isEqualTo("service.._.._etc_passwd");
    assertThat(AuditReporter.fileName("")).isEqualTo("service");
  }

  @Test
  void everyAuditWrittenGoesToTheListenerToo() throws Exception {
    List<ServiceAudit> heard = new CopyOnWriteArrayList<>();
    AuditReporter reporter = reporter(directory, heard::add);

    ServiceAudit first = reporter.write();
    ServiceAudit second = reporter.write();

    assertThat(heard).containsExactly(first, second);
    assertThat(reporter.file()).exists();
    assertThat(Files.readString(reporter.file())).contains("\"service\": \"checkout\"");
  }

  @Test
  void theListenerHearsTheAuditEvenWhenTheFilesCannotBeWritten() throws Exception {
    Path notADirectory = Files.writeString(directory.resolve("file"), "x");
    List<ServiceAudit> heard = new CopyOnWriteArrayList<>();

    assertThat(reporter(notADirectory.resolve("reports"), heard::add).write()).isNull();
    assertThat(heard).hasSize(1);
  }

  @Test
  void aFailingListenerDoesNotStopTheFiles() {
    AuditReporter reporter =
        reporter(
            directory,
            audit -> {
              throw new IllegalStateException("exporter broke");
            });

    assertThat(reporter.write()).isNotNull();
    assertThat(reporter.file()).exists();
  }

  private static AuditReporter reporter(
      Path directory, java.util.function.Consumer<ServiceAudit> listener) {
    AgentConfig config = AgentConfig.load(ConfigSource.of(Map.of(), Map.of()));
    KeyPrefixInferrer prefixes = new KeyPrefixInferrer(PrefixConfig.defaults());
    Instant start = Instant.now();
    long startNanos = System.nanoTime();
    CacheLensSink sink =
        new CacheLensSink(
            config,
            CommandCatalog.standard(),
            prefixes,
            new CommandStatsTable(64),
            new Targets(),
            new CommandSpans(false),
            new ApplicationTraceContext(),
            new AuditCollector(
                config.auditThresholds(), prefixes, false, 10_000_000L, start, startNanos));
    return new AuditReporter(
        sink,
        new AuditRules(config.auditThresholds()),
        "checkout",
        "web-7",
        directory,
        start,
        startNanos,
        listener);
  }
}
