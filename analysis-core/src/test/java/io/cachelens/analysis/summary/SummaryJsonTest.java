package io.cachelens.analysis.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachelens.analysis.json.JsonReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryJsonTest {

  private static ServiceSummary summary(String service) {
    return new ServiceSummary(
        service,
        "web-1",
        4242,
        Instant.parse("2025-01-01T10:00:00Z"),
        Instant.parse("2025-01-01T10:01:00.250Z"),
        new SummaryTotals(1200, 3, 12, 8, 2),
        List.of(
            new CommandSummary("GET", 1000, 1, 180, 950),
            new CommandSummary("SET", 200, 2, 210, 1100)),
        List.of(new PrefixSummary("product:cache:*", 1000, 200, 50, 150, 0, 51200, 190, 990)));
  }

  @Test
  void rendersTheDocumentedShape() {
    Map<String, Object> json = JsonReader.parseObject(SummaryJson.toJson(summary("checkout")));

    assertThat(json)
        .containsExactly(
            Map.entry("schema", "cachelens.summary/v1"),
            Map.entry("service", "checkout"),
            Map.entry("host", "web-1"),
            Map.entry("pid", 4242L),
            Map.entry(
                "window",
                Map.of("start", "2025-01-01T10:00:00Z", "end", "2025-01-01T10:01:00.250Z")),
            Map.entry(
                "totals",
                Map.of(
                    "commands", 1200L,
                    "errors", 3L,
                    "internalCommands", 12L,
                    "connectionsOpened", 8L,
                    "connectionsClosed", 2L)),
            Map.entry(
                "commands",
                List.of(
                    Map.of(
                        "name",
                        "GET",
                        "count",
                        1000L,
                        "errors",
                        1L,
                        "p50Micros",
                        180L,
                        "p99Micros",
                        950L),
                    Map.of(
                        "name",
                        "SET",
                        "count",
                        200L,
                        "errors",
                        2L,
                        "p50Micros",
                        210L,
                        "p99Micros",
                        1100L))),
            Map.entry(
                "prefixes",
                List.of(
                    Map.of(
                        "prefix", "product:cache:*",
                        "reads", 1000L,
                        "writes", 200L,
                        "writesWithTtl", 150L,
                        "writesWithoutTtl", 50L,
                        "writesWithTtlLater", 0L,
                        "bytesWritten", 51200L,
                        "p50Micros", 190L,
                        "p99Micros", 990L))));
  }

  @Test
  void writesFieldsInDocumentedOrder() {
    String json = SummaryJson.toJson(summary("checkout"));

    assertThat(json)
        .startsWith("{\n  \"schema\": \"cachelens.summary/v1\",\n  \"service\": \"checkout\",")
        .endsWith("}\n")
        .containsSubsequence(
            "\"prefix\"",
            "\"reads\"",
            "\"writes\"",
            "\"writesWithTtl\"",
            "\"writesWithoutTtl\"",
            "\"writesWithTtlLater\"",
            "\"bytesWritten\"",
            "\"p50Micros\"",
            "\"p99Micros\"");
  }

  @Test
  void emptyListsAreEmptyArrays() {
    ServiceSummary empty =
        new ServiceSummary(
            "s",
            "h",
            1,
            Instant.EPOCH,
            Instant.EPOCH,
            new SummaryTotals(0, 0, 0, 0, 0),
            List.of(),
            List.of());

    Map<String, Object> json = JsonReader.parseObject(SummaryJson.toJson(empty));

    assertThat(json.get("commands")).isEqualTo(List.of());
    assertThat(json.get("prefixes")).isEqualTo(List.of());
    assertThat(json.get("window"))
        .isEqualTo(Map.of("start", "1970-01-01T00:00:00Z", "end", "1970-01-01T00:00:00Z"));
  }

  @Test
  void escapesOddServiceNames() {
    String odd = "we\"ird\\ser\nvice\u0001\u2028caf\u00e9\ud83d\ude00\ud800";

    String json = SummaryJson.toJson(summary(odd));

    assertThat(JsonReader.parseObject(json).get("service"))
        .isEqualTo("we\"ird\\ser\nvice\u0001\u2028caf\u00e9\ud83d\ude00\ufffd");
    assertThat(json)
        .contains("\"we\\\"ird\\\\ser\\nvice\\u0001\\u2028caf\u00e9\ud83d\ude00\ufffd\"");
  }

  @Test
  void writesAtomicallyCreatingTheDirectory(@TempDir Path temp) throws IOException {
    Path file = temp.resolve("reports/nested/checkout.json");

    SummaryJson.writeAtomically(summary("checkout"), file);

    assertThat(file).exists();
    String written = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(written).isEqualTo(SummaryJson.toJson(summary("checkout")));
    assertThat(JsonReader.parseObject(written).get("service")).isEqualTo("checkout");
    assertThat(filesIn(file.getParent())).containsExactly("checkout.json");
  }

  @Test
  void replacesAnExistingSummary(@TempDir Path temp) throws IOException {
    Path file = temp.resolve("checkout.json");
    Files.writeString(
        file, "old and much longer content than the new file will ever have".repeat(99));

    SummaryJson.writeAtomically(summary("first"), file);
    SummaryJson.writeAtomically(summary("caf\u00e9"), file);

    String written = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(JsonReader.parseObject(written).get("service")).isEqualTo("caf\u00e9");
    assertThat(filesIn(temp)).containsExactly("checkout.json");
  }

  @Test
  void failsWithoutLeavingTemporaryFiles(@TempDir Path temp) throws IOException {
    // A directory where the file should be: the move cannot replace it.
    Path file = temp.resolve("checkout.json");
    Files.createDirectory(file);
    Files.writeString(file.resolve("keep"), "x");

    assertThatThrownBy(() -> SummaryJson.writeAtomically(summary("checkout"), file))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("checkout.json");
    assertThat(filesIn(temp)).containsExactly("checkout.json");
  }

  @Test
  void writesToARelativePath(@TempDir Path temp) {
    // A bare file name has no parent; it must still resolve to a directory.
    Path relative = Path.of("").toAbsolutePath().relativize(temp.resolve("relative.json"));

    SummaryJson.writeAtomically(summary("checkout"), relative);

    assertThat(temp.resolve("relative.json")).exists();
  }

  private static List<String> filesIn(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }
}
