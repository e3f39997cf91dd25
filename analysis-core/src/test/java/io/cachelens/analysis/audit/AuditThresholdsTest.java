package io.cachelens.analysis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AuditThresholdsTest {

  @Test
  void theDefaultsAreTheDocumentedValues() {
    AuditThresholds defaults = AuditThresholds.defaults();

    assertThat(defaults.get("no_ttl_writes.min_writes")).isEqualTo(10);
    assertThat(defaults.get("no_ttl_writes.grace_millis")).isEqualTo(2_000);
    assertThat(defaults.get("no_ttl_writes.captures_per_second")).isEqualTo(10);
    assertThat(defaults.get("connection_churn.opens_per_minute")).isEqualTo(30);
    assertThat(defaults.get("big_value.write_bytes")).isEqualTo(100 * 1024);
    assertThat(defaults.get("big_value.reply_bytes")).isEqualTo(1024 * 1024);
    assertThat(defaults.get("hot_key.share_percent")).isEqualTo(20);
    assertThat(defaults.get("slow_command.p99_millis")).isEqualTo(50);
    for (String key : AuditThresholds.DEFAULTS.keySet()) {
      assertThat(defaults.get(key)).as(key).isEqualTo(AuditThresholds.DEFAULTS.get(key));
    }
  }

  @Test
  void withReturnsAChangedCopy() {
    AuditThresholds defaults = AuditThresholds.defaults();
    AuditThresholds changed = defaults.with("hot_key.share_percent", 35);
    AuditThresholds twice = changed.with("slow_command.p99_millis", 0);

    assertThat(changed.get("hot_key.share_percent")).isEqualTo(35);
    assertThat(defaults.get("hot_key.share_percent")).isEqualTo(20);
    assertThat(twice.get("hot_key.share_percent")).isEqualTo(35);
    assertThat(twice.get("slow_command.p99_millis")).isZero();
    assertThat(changed.get("slow_command.p99_millis")).isEqualTo(50);
    assertThat(AuditThresholds.DEFAULTS.get("hot_key.share_percent")).isEqualTo(20);
    assertThat(twice.toString()).contains("hot_key.share_percent=35");
  }

  @Test
  void withRejectsAnUnknownKeyNamingTheKnownOnes() {
    AuditThresholds defaults = AuditThresholds.defaults();

    assertThatThrownBy(() -> defaults.with("hot_key.share", 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hot_key.share")
        .hasMessageContaining(String.join(", ", AuditThresholds.DEFAULTS.keySet()));
  }

  @Test
  void withRejectsANegativeValue() {
    AuditThresholds defaults = AuditThresholds.defaults();

    assertThatThrownBy(() -> defaults.with("big_value.write_bytes", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("big_value.write_bytes")
        .hasMessageContaining("-1");
  }

  @Test
  void getRejectsAnUnknownKey() {
    assertThatThrownBy(() -> AuditThresholds.defaults().get("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void theDefaultsCannotBeChangedInPlace() {
    assertThatThrownBy(() -> AuditThresholds.DEFAULTS.put("hot_key.share_percent", 1L))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
