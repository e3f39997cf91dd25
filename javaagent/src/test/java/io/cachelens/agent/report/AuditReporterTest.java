package io.cachelens.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditReporterTest {

  @Test
  void serviceNamesBecomeSafeFileNames() {
    assertThat(AuditReporter.fileName("checkout")).isEqualTo("checkout");
    assertThat(AuditReporter.fileName("team/checkout api")).isEqualTo("team_checkout_api");
    assertThat(AuditReporter.fileName("../../etc/passwd")).isEqualTo("service.._.._etc_passwd");
    assertThat(AuditReporter.fileName("")).isEqualTo("service");
  }
}
