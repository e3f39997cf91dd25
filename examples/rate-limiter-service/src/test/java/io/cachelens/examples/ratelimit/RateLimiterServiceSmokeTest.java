package io.cachelens.examples.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.testing.redis.RedisServerExtension;
import io.cachelens.testing.redis.RespClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the service's main against a real redis-server and checks what it left in Redis. */
class RateLimiterServiceSmokeTest {

  @RegisterExtension static RedisServerExtension redis = new RedisServerExtension();

  private RespClient client;

  @BeforeEach
  void emptyServer() {
    client = redis.client();
    client.command("FLUSHALL");
  }

  @Test
  void countsEveryRequestInAnExpiringKeyPerClient() {
    Run run = runMain("--port", Integer.toString(redis.port()), "--requests", "900", "--rate=5000");

    assertThat(run.status()).as("exit status; stderr: %s", run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .startsWith("rate-limiter-service: 900 requests in ")
        .contains("127.0.0.1:" + redis.port())
        .contains("from 25 API clients")
        .endsWith(" 0 failed");

    List<?> keys = (List<?>) client.call("KEYS", "*");
    assertThat(keys).hasSize(RateLimiterService.CLIENTS);
    long counted = 0;
    long overLimit = 0;
    for (Object key : keys) {
      assertThat((String) key).matches("ratelimit:[0-9a-f-]{36}");
      assertThat((Long) client.call("TTL", (String) key)).as("TTL of %s", key).isBetween(1L, 60L);
      long count = Long.parseLong(client.command("GET", (String) key));
      counted += count;
      overLimit += Math.max(0, count - RateLimiterService.LIMIT);
    }
    assertThat(counted).isEqualTo(900);
    assertThat(run.out())
        .contains((900 - overLimit) + " allowed, " + overLimit + " rejected (over 30 per 60 s)");
  }

  @Test
  void reportsAnUnreachableServer() {
    int port = redis.port();
    redis.server().stop();
    try {
      Run run = runMain("--port", Integer.toString(port), "--requests", "100", "--rate", "10000");

      assertThat(run.status()).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      assertThat(run.err())
          .startsWith("rate-limiter-service: cannot use Redis at 127.0.0.1:" + port + ": ");
    } finally {
      redis.server().start();
      // The shared client's connection died with the old process; this reconnects it.
      redis.client().ping();
    }
  }

  @Test
  void rejectsUnknownFlags() {
    Run run = runMain("--workers", "3");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).startsWith("rate-limiter-service: unknown argument: --workers");
  }

  private static Run runMain(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = RateLimiterServiceMain.run(args, Map.of(), outStream, errStream);
    }
    return new Run(
        status,
        out.toString(StandardCharsets.UTF_8).strip(),
        err.toString(StandardCharsets.UTF_8).strip());
  }

  private record Run(int status, String out, String err) {}
}
