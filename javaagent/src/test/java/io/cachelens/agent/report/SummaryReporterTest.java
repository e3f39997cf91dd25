package io.cachelens.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SummaryReporterTest {

  @Test
  void serviceNamesBecomeSafeFileNames() {
    assertThat(SummaryReporter.fileName("checkout")).isEqualTo("checkout");
    assertThat(SummaryReporter.fileName("team/checkout api")).isEqualTo("team_checkout_api");
    assertThat(SummaryReporter.fileName("../../etc/passwd")).isEqualTo("service.._.._etc_passwd");
    assertThat(SummaryReporter.fileName("")).isEqualTo("service");
  }
}
