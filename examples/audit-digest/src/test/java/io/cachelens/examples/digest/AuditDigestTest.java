package io.cachelens.examples.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads audits the agent wrote for the three example services in a demo run. */
class AuditDigestTest {

  @TempDir Path dir;

  @Test
  void printsHeadlinePrefixesAndFindingsOfEachService() throws Exception {
    Output output = run(sample("catalog.json"), sample("ratelimiter.json"), sample("orders.json"));

    assertThat(output.status()).isZero();
    assertThat(output.err()).isEmpty();
    assertThat(output.out())
        .contains(
            "catalog (pid 30689 on demo-host, 3.9 s): 22917 commands, 0 errors, 4 key prefixes,"
                + " 1638 writes without TTL, 4 connections opened;"
                + " findings: 1 critical, 0 warning, 0 info")
        .contains("  busiest  GET 9374 (p99 3998 us), EXPIRE 5406 (p99 3998 us), INCR 5000")
        .containsPattern("\n  prefix +reads +writes +with TTL +TTL later +without TTL\n")
        .containsPattern("\n  product:cache:\\* +5000 +1638 +0 +0 +1638\n")
        .containsPattern("\n  ratelimit:\\* +0 +10000 +5000 +647 +0\n")
        .contains(
            "  critical  NO_TTL_WRITES on product:cache:*\n"
                + "            1638 writes to product:cache:* left their key without a TTL")
        .contains(
            "  critical  CONNECTION_CHURN\n"
                + "            Opens 18501.4 connections per minute that live 1 ms")
        .contains(
            "            call site:"
                + " io.cachelens.examples.ratelimit.RateLimiter.check(RateLimiter.java:47)")
        .containsPattern("\n  order:recent:\\* +0 +6000 +3000 +3000 +0\n")
        .contains(
            "  critical  DANGEROUS_COMMAND\n"
                + "            KEYS sent 12 times: it can block, wipe or reconfigure the server"
                + " for every client.\n"
                + "            call site: none recorded");
    assertThat(output.out().indexOf("catalog (pid"))
        .isLessThan(output.out().indexOf("ratelimiter (pid"))
        .isLessThan(output.out().indexOf("orders (pid"));
  }

  @Test
  void readsSummariesWrittenBeforeTheAudit() throws Exception {
    Output output = run(sample("summary-v1-catalog.json"));

    assertThat(output.status()).isZero();
    assertThat(output.out())
        .startsWith("catalog (pid 4242 on demo-host, 1.0 s): 22917 commands, 0 errors,")
        .containsPattern("\n  product:cache:\\* +5000 +1638 +0 +0 +1638\n")
        .contains("  no findings");
  }

  @Test
  void reportsEveryBadFileAndStillPrintsTheGoodOnes() throws Exception {
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"totals\": {", StandardCharsets.UTF_8);
    Path array = dir.resolve("array.json");
    Files.writeString(array, "[{\"service\": \"catalog\"}]", StandardCharsets.UTF_8);
    Path other = dir.resolve("other.json");
    Files.writeString(other, "{\"schema\": \"something/v9\"}", StandardCharsets.UTF_8);

    Output output =
        run(
            dir.resolve("absent.json").toString(),
            broken.toString(),
            array.toString(),
            other.toString(),
            sample("orders.json"));

    assertThat(output.status()).isEqualTo(1);
    assertThat(output.err())
        .contains("cannot read " + dir.resolve("absent.json"))
        .contains(broken + " is not a CacheLens audit: ")
        .contains(array + " is not a CacheLens audit: ")
        .contains(other + " is not a CacheLens audit: schema: ");
    assertThat(output.out()).startsWith("orders (pid 31124 on demo-host");
  }

  @Test
  void needsAtLeastOneFile() {
    Output output = run();

    assertThat(output.status()).isEqualTo(2);
    assertThat(output.err()).startsWith("usage: ");
  }

  private static String sample(String name) throws URISyntaxException {
    return Path.of(Objects.requireNonNull(AuditDigestTest.class.getResource("/" + name)).toURI())
        .toString();
  }

  private static Output run(String... files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = AuditDigest.run(files, outStream, errStream);
    }
    return new Output(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private record Output(int status, String out, String err) {}
}
