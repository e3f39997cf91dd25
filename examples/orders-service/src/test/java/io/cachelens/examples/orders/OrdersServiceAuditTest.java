package io.cachelens.examples.orders;

import static io.cachelens.examples.support.ExampleUnderAgent.onlyFinding;
import static io.cachelens.examples.support.ExampleUnderAgent.prefix;
import static io.cachelens.examples.support.ExampleUnderAgent.rulesBesidesSlowCommands;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.analysis.audit.AuditRule;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.audit.Severity;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.examples.support.ExampleUnderAgent;
import io.cachelens.testing.redis.RedisServerExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Runs the service under the real agent, as the demo does, and checks what its audit says. */
class OrdersServiceAuditTest {

  @RegisterExtension static RedisServerExtension redis = new RedisServerExtension();

  @Test
  void flagsKeysAndCountsThePipelinedExpiresAsTtlsGivenLater(@TempDir Path reports) {
    redis.client().command("FLUSHALL");

    ServiceAudit audit =
        ExampleUnderAgent.run(
            "orders",
            OrdersServiceMain.class,
            reports,
            "--port",
            Integer.toString(redis.port()),
            "--requests",
            "500",
            "--batch",
            "25");

    assertThat(rulesBesidesSlowCommands(audit)).containsExactly(AuditRule.DANGEROUS_COMMAND);
    // 20 pipelines: the dashboard counts after the 1st and the 11th.
    Finding keys = onlyFinding(audit, AuditRule.DANGEROUS_COMMAND);
    assertThat(keys.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(keys.message()).startsWith("KEYS sent 2 times");
    // Lettuce completes KEYS on its event loop; the site is read where the dashboard sent it.
    assertThat(keys.callSites())
        .singleElement()
        .asString()
        .startsWith(RecentOrders.class.getName() + ".count(RecentOrders.java:");
    assertThat(audit.connections().opened()).isEqualTo(2);

    PrefixSummary orders = prefix(audit, "order:recent:*");
    assertThat(orders.writes()).isEqualTo(1_000);
    assertThat(orders.writesWithTtl()).isEqualTo(500);
    assertThat(orders.writesWithTtlLater()).isEqualTo(500);
    assertThat(orders.writesWithoutTtl()).isZero();
  }
}
