package io.cachelens.examples.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryHeadlineTest {

  @TempDir Path dir;

  @Test
  void printsTotalsAndFlagsPrefixesWrittenWithoutTtl() throws Exception {
    Output output = run(sample().toString());

    assertThat(output.status()).isZero();
    assertThat(output.err()).isEmpty();
    assertThat(output.out())
        .contains("service 'catalog' on host demo-host, pid 4242")
        .contains("commands     22917 (plus 8 internal)")
        .contains("errors       0")
        .contains("connections  4 opened, 4 closed")
        .contains("busiest      GET 9374 (p99 639 us), EXPIRE 5406 (p99 541 us), INCR 5000")
        .containsPattern("product:cache:\\* +5000 +1638 +0 +1638 +<== no write set a TTL")
        .containsPattern("session:user:\\* +4374 +1093 +1093 +0\\s*\\n")
        .containsPattern("ratelimit:\\* +0 +10000 +5000 +5000\\s*\\n")
        .contains("!! product:cache:*: 1638 of 1638 writes set no TTL and none set one")
        .doesNotContain("!! session:user:*")
        .doesNotContain("!! ratelimit:*")
        .doesNotContain("!! cart:*");
  }

  @Test
  void doesNotDependOnFieldOrderOrLayout() throws Exception {
    String compact =
        "{\"prefixes\":[{\"writesWithoutTtl\":3,\"writes\":5,\"prefix\":\"product:cache:*\","
            + "\"writesWithTtl\":2,\"reads\":9}],\"totals\":{\"connectionsOpened\":2,"
            + "\"errors\":1,\"commands\":14},\"service\":\"cat\\u0061log\",\"pid\":7}";
    Path file = dir.resolve("compact.json");
    Files.writeString(file, compact, StandardCharsets.UTF_8);

    Output output = run(file.toString());

    assertThat(output.status()).isZero();
    assertThat(output.out())
        .contains("service 'catalog' on host ?, pid 7")
        .contains("commands     14 (plus ? internal)")
        .contains("errors       1")
        .contains("connections  2 opened, ? closed")
        .containsPattern("product:cache:\\* +9 +5 +2 +3\\s*\\n")
        .doesNotContain("<==")
        .doesNotContain("!!");
  }

  @Test
  void failsOnMissingOrBrokenFiles() throws Exception {
    assertThat(run(dir.resolve("absent.json").toString()).status()).isEqualTo(1);

    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"totals\": {", StandardCharsets.UTF_8);
    Output output = run(broken.toString());
    assertThat(output.status()).isEqualTo(1);
    assertThat(output.err()).contains("is not valid JSON").contains("at offset 12");
    assertThat(output.out()).isEmpty();

    Path trailing = dir.resolve("trailing.json");
    Files.writeString(trailing, "{\"service\": \"catalog\"} {}", StandardCharsets.UTF_8);
    output = run(trailing.toString());
    assertThat(output.status()).isEqualTo(1);
    assertThat(output.err()).contains("is not valid JSON").contains("at offset 23");
    assertThat(output.out()).isEmpty();
  }

  @Test
  void failsOnDocumentsThatAreNotObjects() throws Exception {
    Path array = dir.resolve("array.json");
    Files.writeString(array, "[{\"service\": \"catalog\"}]", StandardCharsets.UTF_8);

    Output output = run(array.toString());

    assertThat(output.status()).isEqualTo(1);
    assertThat(output.err()).contains("does not hold a JSON object");
    assertThat(output.out()).isEmpty();
  }

  private static Path sample() throws URISyntaxException {
    return Path.of(
        Objects.requireNonNull(SummaryHeadlineTest.class.getResource("/sample-catalog.json"))
            .toURI());
  }

  private static Output run(String file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = SummaryHeadline.run(new String[] {file}, outStream, errStream);
    }
    return new Output(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private record Output(int status, String out, String err) {}
}
