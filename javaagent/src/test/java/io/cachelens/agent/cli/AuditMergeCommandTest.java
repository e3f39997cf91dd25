package io.cachelens.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.analysis.audit.AuditRule;
import io.cachelens.analysis.audit.ConnectionSummary;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.audit.Severity;
import io.cachelens.analysis.json.JsonReader;
import io.cachelens.analysis.report.AuditJson;
import io.cachelens.analysis.summary.CommandSummary;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.analysis.summary.ServiceSummary;
import io.cachelens.analysis.summary.SummaryJson;
import io.cachelens.analysis.summary.SummaryTotals;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditMergeCommandTest {

  private static final Instant START = Instant.parse("2025-01-01T10:00:00Z");

  @TempDir Path temp;
  private Path audits;
  private Path reportDir;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  private static ServiceSummary summary(String service, String host, long commands) {
    return new ServiceSummary(
        service,
        host,
        7,
        START,
        START.plusSeconds(60),
        new SummaryTotals(commands, 0, 0, 1, 0),
        List.of(new CommandSummary("SET", commands, 0, 100, 400)),
        List.of(new PrefixSummary("product:*", 0, commands, commands, 0, 0, 64, 100, 400)));
  }

  private static ServiceAudit checkout() {
    return new ServiceAudit(
        summary("checkout", "web-1", 10),
        ConnectionSummary.none(START),
        List.of(
            new Finding(
                AuditRule.NO_TTL_WRITES,
                Severity.CRITICAL,
                "product:*",
                "10 writes without TTL",
                Map.of("writesWithoutTtl", 10L),
                List.of(),
                "Set an expiry.")));
  }

  @BeforeEach
  void writeAudits() throws IOException {
    audits = Files.createDirectory(temp.resolve("audits"));
    reportDir = temp.resolve("report");
    Files.writeString(audits.resolve("checkout.json"), AuditJson.toJson(checkout()));
    Files.writeString(audits.resolve("cart.json"), SummaryJson.toJson(summary("cart", "web-2", 4)));
    Files.writeString(
        audits.resolve("broken.json"),
        // A severity that is not even a string: malformed, unlike an unknown one from a newer
        // agent.
        AuditJson.toJson(checkout()).replace("\"critical\"", "3"));
    Files.writeString(audits.resolve("package.json"), "{\"name\": \"frontend\"}\n");
    Files.writeString(audits.resolve("notes.txt"), "not JSON, not read");
    Path nested = Files.createDirectory(audits.resolve("older"));
    Files.writeString(nested.resolve("checkout.json"), AuditJson.toJson(checkout()));
  }

  private int run(String... args) {
    return CacheLensCli.run(
        args,
        new PrintStream(stdout, true, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  private List<String> stdoutLines() {
    return stdout.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private List<String> stderrLines() {
    return stderr.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void mergesTheAuditsOfADirectoryAndSaysWhatItSkipped() throws IOException {
    int code = run("audit", "merge", audits.toString(), "--out", reportDir.toString());

    assertThat(code).isZero();
    Path absolute = reportDir.toAbsolutePath();
    assertThat(stdoutLines())
        .containsExactly(
            "wrote " + absolute.resolve("fleet.json"),
            "wrote " + absolute.resolve("fleet.md"),
            "wrote " + absolute.resolve("fleet.html"),
            "2 services, 2 instances, 1 finding (1 critical, 0 warning, 0 info)");
    Path broken = audits.resolve("broken.json").toAbsolutePath();
    Path unrelated = audits.resolve("package.json").toAbsolutePath();
    assertThat(stderrLines())
        .containsExactly(
            "cannot read " + broken + ": findings[0].severity: expected a string, found 3",
            "skipped " + unrelated + ": not a CacheLens audit (no schema)");

    Map<String, Object> fleet =
        JsonReader.parseObject(Files.readString(reportDir.resolve("fleet.json")));
    assertThat(fleet.get("schema")).isEqualTo("cachelens.fleet/v1");
    assertThat(fleet.get("services").toString()).contains("service=cart", "service=checkout");
    assertThat(Files.readString(reportDir.resolve("fleet.md")))
        .startsWith("# CacheLens fleet audit")
        .contains("| checkout | 1 | web-1 |");
    assertThat(Files.readString(reportDir.resolve("fleet.html")))
        .contains(
            "class=\"finding\" data-rule=\"NO_TTL_WRITES\" data-severity=\"critical\""
                + " data-service=\"checkout\"");
    try (var files = Files.list(reportDir)) {
      assertThat(files.map(file -> file.getFileName().toString()))
          .containsExactlyInAnyOrder("fleet.json", "fleet.md", "fleet.html");
    }
  }

  @Test
  void readsFilesNamedOnTheCommandLineOnce() {
    Path cart = audits.resolve("cart.json");

    int code =
        run(
            "audit",
            "merge",
            cart.toString(),
            audits.resolve("older").toString(),
            cart.toString(),
            "--out=" + reportDir);

    assertThat(code).isZero();
    assertThat(stderrLines()).isEmpty();
    assertThat(stdoutLines())
        .last()
        .isEqualTo("2 services, 2 instances, 1 finding (1 critical, 0 warning, 0 info)");
  }

  @Test
  void failsWhenNoAuditCanBeRead() throws IOException {
    Path empty = Files.createDirectory(temp.resolve("empty"));
    Files.writeString(empty.resolve("fleet.json"), "{\"schema\": \"cachelens.fleet/v1\"}");
    Path missing = temp.resolve("missing");

    int code =
        run("audit", "merge", empty.toString(), missing.toString(), "--out", reportDir.toString());

    assertThat(code).isEqualTo(1);
    assertThat(stdoutLines()).isEmpty();
    assertThat(stderrLines())
        .containsExactly(
            "cannot read " + missing + ": no such file or directory",
            "skipped "
                + empty.resolve("fleet.json").toAbsolutePath()
                + ": not a CacheLens audit (schema \"cachelens.fleet/v1\")",
            "no audit could be read from [" + empty + ", " + missing + "]");
    assertThat(reportDir).doesNotExist();
  }

  @Test
  void rejectsBadUsageWithTheUsageText() {
    assertThat(run("audit", "merge")).isEqualTo(2);
    assertThat(stderrLines()).first().isEqualTo("no audit directory or file given");
    assertThat(stderrLines())
        .contains(
            "usage: java -jar cachelens-agent.jar audit merge <dir-or-file>... [--out <dir>]");

    stderr.reset();
    assertThat(run("audit", "merge", audits.toString(), "--out")).isEqualTo(2);
    assertThat(stderrLines()).first().isEqualTo("--out needs a directory");

    stderr.reset();
    assertThat(run("audit", "merge", "--recursive", audits.toString())).isEqualTo(2);
    assertThat(stderrLines()).first().isEqualTo("unknown option: --recursive");

    stderr.reset();
    assertThat(run("audit")).isEqualTo(2);
    assertThat(stderrLines()).first().isEqualTo("audit needs a command");

    stderr.reset();
    assertThat(run("audit", "split")).isEqualTo(2);
    assertThat(stderrLines()).first().isEqualTo("unknown audit command: split");
    assertThat(stdoutLines()).isEmpty();
    assertThat(reportDir).doesNotExist();
  }

  @Test
  void printsItsUsageOnRequestAndKeepsHelpAndVersion() {
    assertThat(run("audit", "merge", "--help")).isZero();
    assertThat(stdoutLines()).first().asString().startsWith("usage: ");
    assertThat(stdoutLines())
        .contains("  --out <dir>    where to write the report (default: ./cachelens-fleet)");

    stdout.reset();
    assertThat(run("help")).isZero();
    assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("audit merge <dir-or-file>...");

    stdout.reset();
    assertThat(run("version")).isZero();
    assertThat(stdoutLines()).hasSize(1);
    assertThat(stderrLines()).isEmpty();
  }
}
