package io.cachelens.examples.support;

import io.cachelens.analysis.audit.AuditRule;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.report.AuditJsonReader;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.testing.jvm.AgentJvm;
import io.cachelens.testing.jvm.Classpaths;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs an example service's main class in a JVM of its own under the real agent jar, as the demo
 * does, and reads back the audit the agent wrote at exit.
 */
public final class ExampleUnderAgent {

  private static final String AGENT_CLASS = "io.cachelens.agent.CacheLensAgent";

  private ExampleUnderAgent() {}

  /**
   * Runs {@code mainClass} with {@code args} as service {@code service}, requires exit status 0,
   * and returns {@code <reportDir>/<service>.json}.
   */
  public static ServiceAudit run(
      String service, Class<?> mainClass, Path reportDir, String... args) {
    AgentJvm.builder()
        .mainClass(mainClass.getName())
        .classpath(serviceClasspath())
        .systemProperty("otel.service.name", service)
        .systemProperty("cachelens.report.dir", reportDir.toString())
        .args(args)
        .timeout(Duration.ofMinutes(2))
        .run()
        .requireSuccess();
    try {
      return AuditJsonReader.parse(
          Files.readString(reportDir.resolve(service + ".json"), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The rules of the audit's findings, without {@code SLOW_COMMAND}: whether a command's p99
   * crosses 50 ms depends on how busy the machine running the test is.
   */
  public static Set<AuditRule> rulesBesidesSlowCommands(ServiceAudit audit) {
    Set<AuditRule> rules = new TreeSet<>();
    for (Finding finding : audit.findings()) {
      if (finding.rule() != AuditRule.SLOW_COMMAND) {
        rules.add(finding.rule());
      }
    }
    return rules;
  }

  /** The audit's only finding of {@code rule}. */
  public static Finding onlyFinding(ServiceAudit audit, AuditRule rule) {
    List<Finding> findings =
        audit.findings().stream().filter(finding -> finding.rule() == rule).toList();
    if (findings.size() != 1) {
      throw new AssertionError("expected one " + rule + " finding, got " + audit.findings());
    }
    return findings.get(0);
  }

  /** The audit's row for {@code prefix}. */
  public static PrefixSummary prefix(ServiceAudit audit, String prefix) {
    return audit.summary().prefixes().stream()
        .filter(row -> row.prefix().equals(prefix))
        .findFirst()
        .orElseThrow(
            () ->
                new NoSuchElementException(
                    "no prefix " + prefix + " in " + audit.summary().prefixes()));
  }

  /**
   * This test JVM's class path, which holds the service and its client library, minus the agent's
   * own classes: they are there only so that Maven builds the agent first, and the agent must come
   * in through {@code -javaagent} alone.
   */
  private static List<Path> serviceClasspath() {
    Path agent = agentClasses();
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.isEmpty())
        .map(Path::of)
        .filter(entry -> !entry.equals(agent))
        .toList();
  }

  private static Path agentClasses() {
    try {
      return Classpaths.locationOf(
          Class.forName(AGENT_CLASS, false, ExampleUnderAgent.class.getClassLoader()));
    } catch (ClassNotFoundException e) {
      return null;
    }
  }
}
