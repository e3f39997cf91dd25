package io.cachelens.examples.orders;

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
class OrdersServiceSmokeTest {

  @RegisterExtension static RedisServerExtension redis = new RedisServerExtension();

  private RespClient client;

  @BeforeEach
  void emptyServer() {
    client = redis.client();
    client.command("FLUSHALL");
  }

  @Test
  void cachesEveryOrderWithATtlAndCountsThemWithKeys() {
    Run run = runMain("--port", Integer.toString(redis.port()), "--requests", "275", "--batch=25");

    assertThat(run.status()).as("exit status; stderr: %s", run.err()).isZero();
    assertThat(run.err()).isEmpty();
    // 11 batches: the dashboard counts after the 1st and the 11th.
    assertThat(run.out())
        .startsWith("orders-service: 275 orders in ")
        .contains("127.0.0.1:" + redis.port())
        .endsWith(
            "cached with HSET + EXPIRE in 11 pipelines;"
                + " the dashboard ran KEYS order:recent:* 2 times (last count 275)");

    List<Object> keys = List.copyOf((List<?>) client.call("KEYS", "*"));
    assertThat(keys).hasSize(275).contains("order:recent:500001", "order:recent:500275");
    for (Object key : keys) {
      assertThat(client.command("TYPE", (String) key)).isEqualTo("hash");
      assertThat((Long) client.call("TTL", (String) key))
          .as("TTL of %s", key)
          .isBetween(1L, RecentOrders.TTL.toSeconds());
    }
  }

  @Test
  void reportsAnUnreachableServer() {
    int port = redis.port();
    redis.server().stop();
    try {
      Run run = runMain("--port", Integer.toString(port), "--requests", "10");

      assertThat(run.status()).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).startsWith("orders-service: cannot use Redis at 127.0.0.1:" + port);
    } finally {
      redis.server().start();
      // The shared client's connection died with the old process; this reconnects it.
      redis.client().ping();
    }
  }

  private static Run runMain(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = OrdersServiceMain.run(args, Map.of(), outStream, errStream);
    }
    return new Run(
        status,
        out.toString(StandardCharsets.UTF_8).strip(),
        err.toString(StandardCharsets.UTF_8).strip());
  }

  private record Run(int status, String out, String err) {}
}
