package io.cachelens.analysis.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keeps the test parser honest, since other tests trust it. */
class MiniJsonTest {

  @Test
  void parsesEveryKindOfValue() {
    Object parsed =
        MiniJson.parse(
            " {\"a\": [1, -2, 3.5, -1e3, true, false, null], \"b\": {\"c\": \"d\\u0041\\n\"}} ");

    assertThat(parsed)
        .isEqualTo(
            Map.of(
                "a",
                Arrays.asList(1L, -2L, 3.5, -1000.0, true, false, null),
                "b",
                Map.of("c", "dA\n")));
  }

  @Test
  void rejectsMalformedDocuments() {
    for (String bad :
        List.of(
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "01",
            "1.",
            "\"a",
            "\"\n\"",
            "tru",
            "1 2",
            "{\"a\":1,\"a\":2}",
            "\"\\x\"")) {
      assertThatThrownBy(() -> MiniJson.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
