package io.cachelens.analysis.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.analysis.json.JsonReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetJsonTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> array(Object value) {
    return (List<Object>) value;
  }

  @Test
  void writesTheFleetWithServicesPrefixesAndFindings() {
    String text = FleetJson.toJson(FleetFixtures.fleet());
    Map<String, Object> json = JsonReader.parseObject(text);

    assertThat(text).endsWith("}\n");
    assertThat(json.keySet())
        .containsExactly(
            "schema",
            "window",
            "instances",
            "findingsBySeverity",
            "skippedFindings",
            "services",
            "prefixes",
            "findings");
    assertThat(json.get("schema")).isEqualTo("cachelens.fleet/v1");
    assertThat(json.get("window"))
        .isEqualTo(Map.of("start", "2025-01-01T09:58:00Z", "end", "2025-01-01T10:10:00Z"));
    assertThat(array(json.get("instances"))).hasSize(3);
    assertThat(json.get("findingsBySeverity"))
        .isEqualTo(Map.of("critical", 1L, "warning", 0L, "info", 2L));

    Map<String, Object> checkout = object(array(json.get("services")).get(1));
    assertThat(checkout.get("service")).isEqualTo("checkout");
    assertThat(checkout.get("instances")).isEqualTo(2L);
    assertThat(checkout.get("hosts")).isEqualTo(List.of("web-1", "web-2"));
    assertThat(object(checkout.get("totals")).get("commands")).isEqualTo(400L);
    assertThat(object(checkout.get("connections")).get("opensPerMinute"))
        .isEqualTo(List.of(4L, 16L, 10L, 10L));

    Map<String, Object> product = object(array(json.get("prefixes")).get(0));
    assertThat(product.get("prefix")).isEqualTo("product:cache:*");
    assertThat(object(product.get("services")).get("checkout"))
        .isEqualTo(
            Map.of("reads", 320L, "writes", 80L, "writesWithoutTtl", 40L, "bytesWritten", 8000L));

    Map<String, Object> noTtl = object(array(json.get("findings")).get(0));
    assertThat(noTtl)
        .containsEntry("service", "checkout")
        .containsEntry("reportedBy", 2L)
        .containsEntry("instances", 2L)
        .containsEntry("rule", "NO_TTL_WRITES")
        .containsEntry("severity", "critical")
        .containsEntry("prefix", "product:cache:*");
    assertThat(object(noTtl.get("evidence")))
        .containsExactly(
            Map.entry("writesWithoutTtl", 40L),
            Map.entry("share", 0.5),
            Map.entry("p99Micros", 900L),
            Map.entry("example", "p:1"));
    Map<String, Object> churn = object(array(json.get("findings")).get(1));
    assertThat(churn).containsEntry("prefix", null);
  }

  @Test
  void writesAnEmptyFleetWithoutAWindow() {
    Map<String, Object> json =
        JsonReader.parseObject(FleetJson.toJson(FleetAudit.merge(List.of())));

    assertThat(json)
        .containsEntry("schema", "cachelens.fleet/v1")
        .containsEntry("window", null)
        .containsEntry("instances", List.of())
        .containsEntry("services", List.of())
        .containsEntry("prefixes", List.of())
        .containsEntry("findings", List.of());
    assertThat(json.get("findingsBySeverity"))
        .isEqualTo(Map.of("critical", 0L, "warning", 0L, "info", 0L));
  }
}
