package io.cachelens.examples.catalog;

import static io.cachelens.examples.support.ExampleUnderAgent.onlyFinding;
import static io.cachelens.examples.support.ExampleUnderAgent.prefix;
import static io.cachelens.examples.support.ExampleUnderAgent.rulesBesidesSlowCommands;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.analysis.audit.AuditRule;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.summary.PrefixSummary;
import io.cachelens.examples.support.ExampleUnderAgent;
import io.cachelens.testing.redis.RedisServerExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Runs the service under the real agent, as the demo does, and checks what its audit says. */
class CatalogServiceAuditTest {

  @RegisterExtension static RedisServerExtension redis = new RedisServerExtension();

  @Test
  void flagsTheProductCacheAloneForWritesWithoutTtl(@TempDir Path reports) {
    redis.client().command("FLUSHALL");

    ServiceAudit audit =
        ExampleUnderAgent.run(
            "catalog",
            CatalogServiceMain.class,
            reports,
            "--port",
            Integer.toString(redis.port()),
            "--requests",
            "1000");

    assertThat(rulesBesidesSlowCommands(audit)).containsExactly(AuditRule.NO_TTL_WRITES);
    Finding noTtl = onlyFinding(audit, AuditRule.NO_TTL_WRITES);
    assertThat(noTtl.prefix()).isEqualTo("product:cache:*");

    // Every product page written is still in Redis, without a TTL.
    int pages = ((List<?>) redis.client().call("KEYS", "product:cache:*")).size();
    PrefixSummary products = prefix(audit, "product:cache:*");
    assertThat(products.writesWithoutTtl()).isEqualTo(pages).isEqualTo(products.writes());
    assertThat(products.writesWithTtl()).isZero();
    for (String healthy : List.of("session:user:*", "ratelimit:*", "cart:*")) {
      assertThat(prefix(audit, healthy).writesWithoutTtl()).as(healthy).isZero();
    }
  }
}
