package io.cachelens.examples.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.testing.redis.RedisServerExtension;
import io.cachelens.testing.redis.RespClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the service's main against a real redis-server and checks what it left in Redis. */
class CatalogServiceSmokeTest {

  @RegisterExtension
  static RedisServerExtension redis = RedisServerExtension.withConfig("maxmemory 256mb");

  private RespClient client;

  @BeforeEach
  void emptyServer() {
    client = redis.client();
    client.command("FLUSHALL");
  }

  @Test
  void leavesProductPagesWithoutTtlAndEverythingElseExpiring() {
    Run run = runMain("--port", Integer.toString(redis.port()), "--requests", "1500");

    assertThat(run.status()).as("exit status; stderr: %s", run.err()).isZero();
    assertThat(run.out())
        .startsWith("catalog-service: 1500 requests in ")
        .contains("127.0.0.1:" + redis.port())
        .contains("0 failed");
    assertThat(run.err()).isEmpty();

    List<String> products = scan("product:cache:*");
    assertThat(products)
        .as("the warm-up alone writes the best sellers")
        .hasSizeGreaterThan(ProductCatalog.BEST_SELLERS);
    for (String key : products) {
      assertThat(client.call("TTL", key)).as("TTL of %s", key).isEqualTo(-1L);
    }
    assertThat(client.command("GET", "product:cache:1")).isEqualTo(ProductCatalog.load(1));

    List<String> sessions = scan("session:user:*");
    assertThat(sessions).isNotEmpty();
    for (String key : sessions) {
      assertThat((Long) client.call("TTL", key)).as("TTL of %s", key).isBetween(1L, 3_600L);
    }

    List<String> rateLimits = scan("ratelimit:*");
    assertThat(rateLimits).hasSameSizeAs(sessions);
    for (String key : rateLimits) {
      assertThat((Long) client.call("TTL", key)).as("TTL of %s", key).isBetween(1L, 60L);
    }

    List<String> carts = scan("cart:*");
    assertThat(carts).isNotEmpty();
    for (String key : carts) {
      assertThat(client.command("TYPE", key)).isEqualTo("hash");
      assertThat((Long) client.call("TTL", key))
          .as("TTL of %s", key)
          .isBetween(1L, 7L * 24 * 3_600);
    }

    assertThat(client.command("DBSIZE"))
        .isEqualTo(
            Integer.toString(products.size() + sessions.size() + rateLimits.size() + carts.size()));
  }

  @Test
  void sameSeedSendsTheSameTrafficToAnEmptyServer() {
    String[] args = {"--port", Integer.toString(redis.port()), "--requests", "400", "--workers=1"};
    Run first = runMain(args);
    List<String> firstKeys = scan("*");
    client.command("FLUSHALL");
    Run second = runMain(args);

    assertThat(first.status()).isZero();
    assertThat(second.status()).isZero();
    assertThat(withoutTiming(second.out())).isEqualTo(withoutTiming(first.out()));
    assertThat(scan("*")).containsExactlyInAnyOrderElementsOf(firstKeys);
  }

  @Test
  void stopsAtTheDurationWhenRequestsWouldTakeLonger() {
    Run run =
        runMain(
            "--port",
            Integer.toString(redis.port()),
            "--requests",
            "1000000000",
            "--duration",
            "300ms");

    assertThat(run.status()).isZero();
    assertThat(run.out()).startsWith("catalog-service: ").doesNotContain(" 1000000000 requests");
  }

  @Test
  void reportsAnUnreachableServer() {
    int port = redis.port();
    redis.server().stop();
    try {
      Run run = runMain("--port", Integer.toString(port), "--requests", "10");

      assertThat(run.status()).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).startsWith("catalog-service: cannot use Redis at 127.0.0.1:" + port);
    } finally {
      redis.server().start();
      // The shared client's connection died with the old process; this reconnects it.
      redis.client().ping();
    }
  }

  private List<String> scan(String pattern) {
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      List<?> reply = (List<?>) client.call("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
      cursor = (String) reply.get(0);
      for (Object key : (List<?>) reply.get(1)) {
        keys.add((String) key);
      }
    } while (!cursor.equals("0"));
    return keys;
  }

  private static String withoutTiming(String line) {
    return line.replaceFirst(" in [0-9.]+ s ", " in ? s ");
  }

  private static Run runMain(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = CatalogServiceMain.run(args, Map.of(), outStream, errStream);
    }
    return new Run(
        status,
        out.toString(StandardCharsets.UTF_8).strip(),
        err.toString(StandardCharsets.UTF_8).strip());
  }

  private record Run(int status, String out, String err) {}
}
