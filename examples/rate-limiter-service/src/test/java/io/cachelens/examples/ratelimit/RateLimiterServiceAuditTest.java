package io.cachelens.examples.ratelimit;

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
class RateLimiterServiceAuditTest {

  @RegisterExtension static RedisServerExtension redis = new RedisServerExtension();

  @Test
  void flagsTheConnectionPerRequestAtTheLimiterAndNoKeyWithoutTtl(@TempDir Path reports) {
    redis.client().command("FLUSHALL");

    ServiceAudit audit =
        ExampleUnderAgent.run(
            "ratelimiter",
            RateLimiterServiceMain.class,
            reports,
            "--port",
            Integer.toString(redis.port()),
            "--requests",
            "300",
            "--rate",
            "2000");

    assertThat(rulesBesidesSlowCommands(audit)).containsExactly(AuditRule.CONNECTION_CHURN);
    Finding churn = onlyFinding(audit, AuditRule.CONNECTION_CHURN);
    assertThat(churn.callSites())
        .isNotEmpty()
        .allMatch(
            site ->
                site.matches(
                    "io\\.cachelens\\.examples\\.ratelimit\\.RateLimiter\\.check"
                        + "\\(RateLimiter\\.java:\\d+\\)"),
            "RateLimiter.check(RateLimiter.java:<line>)");
    assertThat(audit.connections().opened()).isEqualTo(300);
    assertThat(audit.connections().closed()).isEqualTo(300);

    // One EXPIRE per client, on its first request; every later INCR keeps that expiry.
    int clients = ((List<?>) redis.client().call("KEYS", "ratelimit:*")).size();
    PrefixSummary ratelimit = prefix(audit, "ratelimit:*");
    assertThat(ratelimit.writes()).isEqualTo(300 + clients);
    assertThat(ratelimit.writesWithTtl()).isEqualTo(clients);
    assertThat(ratelimit.writesWithoutTtl()).isZero();
    // Two workers can both INCR a client's new key before its EXPIRE; that EXPIRE rescues both.
    assertThat(ratelimit.writesWithTtlLater()).isGreaterThanOrEqualTo(clients);
  }
}
