package io.cachelens.analysis.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

  private static String compact(Consumer<JsonWriter> writing) {
    StringBuilder out = new StringBuilder();
    writing.accept(new JsonWriter(out));
    return out.toString();
  }

  private static String pretty(Consumer<JsonWriter> writing) {
    StringBuilder out = new StringBuilder();
    writing.accept(new JsonWriter(out, true));
    return out.toString();
  }

  private static String quoted(String value) {
    return compact(json -> json.value(value));
  }

  @Test
  void writesCompactDocument() {
    String json =
        compact(
            w ->
                w.beginObject()
                    .name("a")
                    .value(1)
                    .name("b")
                    .beginArray()
                    .value(true)
                    .value(false)
                    .nullValue()
                    .value("x")
                    .endArray()
                    .name("c")
                    .beginObject()
                    .endObject()
                    .endObject());

    assertThat(json).isEqualTo("{\"a\":1,\"b\":[true,false,null,\"x\"],\"c\":{}}");
  }

  @Test
  void prettyPrintsWithTwoSpaceIndent() {
    String json =
        pretty(
            w ->
                w.beginObject()
                    .name("name")
                    .value("GET")
                    .name("list")
                    .beginArray()
                    .value(1)
                    .beginObject()
                    .name("k")
                    .value(2)
                    .endObject()
                    .endArray()
                    .name("emptyArray")
                    .beginArray()
                    .endArray()
                    .name("emptyObject")
                    .beginObject()
                    .endObject()
                    .endObject());

    assertThat(json)
        .isEqualTo(
            "{\n"
                + "  \"name\": \"GET\",\n"
                + "  \"list\": [\n"
                + "    1,\n"
                + "    {\n"
                + "      \"k\": 2\n"
                + "    }\n"
                + "  ],\n"
                + "  \"emptyArray\": [],\n"
                + "  \"emptyObject\": {}\n"
                + "}");
    assertThat(JsonReader.parse(json))
        .isEqualTo(
            Map.of(
                "name",
                "GET",
                "list",
                List.of(1L, Map.of("k", 2L)),
                "emptyArray",
                List.of(),
                "emptyObject",
                Map.of()));
  }

  @Test
  void escapesQuotesBackslashesAndShortEscapes() {
    assertThat(quoted("a\"b\\c/d")).isEqualTo("\"a\\\"b\\\\c/d\"");
    assertThat(quoted("\b\f\n\r\t")).isEqualTo("\"\\b\\f\\n\\r\\t\"");
  }

  @Test
  void escapesOtherControlCharactersAsUnicode() {
    assertThat(quoted("\u0000\u0001\u001f ")).isEqualTo("\"\\u0000\\u0001\\u001f \"");
  }

  @Test
  void escapesUnicodeLineSeparators() {
    assertThat(quoted("a\u2028b\u2029c")).isEqualTo("\"a\\u2028b\\u2029c\"");
  }

  @Test
  void keepsNonAsciiAndSurrogatePairs() {
    String text = "caf\u00e9 \u65e5\u672c \ud83d\ude00";
    assertThat(quoted(text)).isEqualTo("\"" + text + "\"");
  }

  @Test
  void replacesLoneSurrogates() {
    assertThat(quoted("a\ud83db")).isEqualTo("\"a\ufffdb\"");
    assertThat(quoted("a\ude00b")).isEqualTo("\"a\ufffdb\"");
    assertThat(quoted("\ude00\ud83d")).isEqualTo("\"\ufffd\ufffd\"");
    assertThat(quoted("end\ud83d")).isEqualTo("\"end\ufffd\"");
  }

  @Test
  void escapedStringsRoundTrip() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      all.append(c);
    }
    all.append("\u2028\u2029\u00e9\ud83d\ude00");
    String text = all.toString();

    assertThat(JsonReader.parse(quoted(text))).isEqualTo(text);
  }

  @Test
  void escapesNames() {
    assertThat(compact(w -> w.beginObject().name("a\"\n").value(1).endObject()))
        .isEqualTo("{\"a\\\"\\n\":1}");
  }

  @Test
  void writesNumbers() {
    assertThat(compact(w -> w.value(Long.MIN_VALUE))).isEqualTo("-9223372036854775808");
    assertThat(compact(w -> w.value(1.5))).isEqualTo("1.5");
    assertThat(compact(w -> w.value(-0.25))).isEqualTo("-0.25");
    assertThat(JsonReader.parse(compact(w -> w.value(1e300)))).isEqualTo(1e300);
  }

  @Test
  void writesNonFiniteDoublesAsNull() {
    assertThat(
            compact(
                w ->
                    w.beginArray()
                        .value(Double.NaN)
                        .value(Double.POSITIVE_INFINITY)
                        .value(Double.NEGATIVE_INFINITY)
                        .endArray()))
        .isEqualTo("[null,null,null]");
  }

  @Test
  void writesNullStringAsNull() {
    assertThat(compact(w -> w.beginObject().name("s").value((String) null).endObject()))
        .isEqualTo("{\"s\":null}");
  }

  @Test
  void reportsCompleteness() {
    JsonWriter json = new JsonWriter(new StringBuilder());
    assertThat(json.isComplete()).isFalse();
    json.beginArray();
    assertThat(json.isComplete()).isFalse();
    json.endArray();
    assertThat(json.isComplete()).isTrue();
  }

  @Test
  void rejectsMisuse() {
    assertThatThrownBy(() -> new JsonWriter(new StringBuilder()).beginObject().value(1))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter(new StringBuilder()).beginArray().name("a"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter(new StringBuilder()).beginArray().endObject())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter(new StringBuilder()).beginObject().endArray())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () -> new JsonWriter(new StringBuilder()).beginObject().name("a").endObject())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter(new StringBuilder()).beginObject().name("a").name("b"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter(new StringBuilder()).value(1).value(2))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter(new StringBuilder()).endArray())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void nestsDeeperThanInitialCapacity() {
    StringBuilder out = new StringBuilder();
    JsonWriter json = new JsonWriter(out);
    for (int i = 0; i < 40; i++) {
      json.beginArray();
    }
    for (int i = 0; i < 40; i++) {
      json.endArray();
    }
    assertThat(out.toString()).isEqualTo("[".repeat(40) + "]".repeat(40));
  }

  @Test
  void wrapsIoFailures() {
    Appendable failing =
        new Appendable() {
          @Override
          public Appendable append(CharSequence csq) throws IOException {
            throw new IOException("disk full");
          }

          @Override
          public Appendable append(CharSequence csq, int start, int end) throws IOException {
            throw new IOException("disk full");
          }

          @Override
          public Appendable append(char c) throws IOException {
            throw new IOException("disk full");
          }
        };

    assertThatThrownBy(() -> new JsonWriter(failing).value("x"))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("disk full");
  }
}
