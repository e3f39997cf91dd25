package io.cachelens.analysis.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

  @Test
  void parsesEveryKindOfValue() {
    Object parsed =
        JsonReader.parse(
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
  void parsesScalarsAtTheTopLevel() {
    assertThat(JsonReader.parse("\"x\"")).isEqualTo("x");
    assertThat(JsonReader.parse(" 42 ")).isEqualTo(42L);
    assertThat(JsonReader.parse("true")).isEqualTo(true);
    assertThat(JsonReader.parse("false")).isEqualTo(false);
    assertThat(JsonReader.parse("\t\r\nnull\n")).isNull();
    assertThat(JsonReader.parse("[]")).isEqualTo(List.of());
    assertThat(JsonReader.parse("{}")).isEqualTo(Map.of());
  }

  @Test
  void keepsMembersInDocumentOrderInMutableCollections() {
    Object parsed = JsonReader.parse("{\"z\":1,\"a\":2,\"m\":[3,null],\"b\":null}");

    assertThat(parsed).isInstanceOf(LinkedHashMap.class);
    Map<?, ?> object = (Map<?, ?>) parsed;
    assertThat(new ArrayList<Object>(object.keySet())).containsExactly("z", "a", "m", "b");
    assertThat(object.containsKey("b")).isTrue();
    assertThat(object.get("b")).isNull();
    assertThat(object.get("m")).isInstanceOf(ArrayList.class);
  }

  @Test
  void readsIntegersThatFitAsLongsAndOtherNumbersAsDoubles() {
    assertThat(JsonReader.parse("0")).isEqualTo(0L);
    assertThat(JsonReader.parse("-0")).isEqualTo(0L);
    assertThat(JsonReader.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThat(JsonReader.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    assertThat(JsonReader.parse("9223372036854775808")).isEqualTo(9.223372036854775808e18);
    assertThat(JsonReader.parse("-9223372036854775809")).isEqualTo(-9.223372036854775809e18);
    assertThat(JsonReader.parse("123456789012345678901234567890")).isEqualTo(1.2345678901234568e29);
    assertThat(JsonReader.parse("1.0")).isEqualTo(1.0);
    assertThat(JsonReader.parse("-0.0")).isEqualTo(-0.0);
    assertThat(JsonReader.parse("0.5")).isEqualTo(0.5);
    assertThat(JsonReader.parse("1e2")).isEqualTo(100.0);
    assertThat(JsonReader.parse("1E+2")).isEqualTo(100.0);
    assertThat(JsonReader.parse("25e-2")).isEqualTo(0.25);
    assertThat(JsonReader.parse("-1.5E-3")).isEqualTo(-0.0015);
    assertThat(JsonReader.parse("0e0")).isEqualTo(0.0);
    assertThat(JsonReader.parse("1e-400")).isEqualTo(0.0);
    assertThat(JsonReader.parse("1.7976931348623157e308")).isEqualTo(Double.MAX_VALUE);
  }

  @Test
  void decodesEveryEscape() {
    assertThat(JsonReader.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\""))
        .isEqualTo("\" \\ / \b \f \n \r \t");
    assertThat(JsonReader.parse("\"\\u0000\\u001f\\u00e9\\u00E9\\uFFFF\""))
        .isEqualTo("\u0000\u001f\u00e9\u00e9\uffff");
    assertThat(JsonReader.parse("\"a\\u0062c\"")).isEqualTo("abc");
  }

  @Test
  void keepsRawTextAndUnicodeOutsideEscapes() {
    assertThat(JsonReader.parse("\"caf\u00e9 \u65e5\u672c \ud83d\ude00 \u2028 \u007f\""))
        .isEqualTo("caf\u00e9 \u65e5\u672c \ud83d\ude00 \u2028 \u007f");
    assertThat(JsonReader.parse("\"\"")).isEqualTo("");
  }

  @Test
  void decodesEscapedSurrogatePairs() {
    String grinning = new String(Character.toChars(0x1F600));
    assertThat(JsonReader.parse("\"\\ud83d\\ude00\"")).isEqualTo(grinning);
    assertThat(JsonReader.parse("\"\\uD83D\\uDE00!\"")).isEqualTo(grinning + "!");
    // One half escaped and the other not still make a pair.
    assertThat(JsonReader.parse("\"\\ud83d\ude00\"")).isEqualTo(grinning);
    assertThat(JsonReader.parse("\"\ud83d" + "\\" + "ude00\"")).isEqualTo(grinning);
  }

  @Test
  void replacesUnpairedSurrogatesLikeTheWriter() {
    assertThat(JsonReader.parse("\"a\\ud83db\"")).isEqualTo("a\ufffdb");
    assertThat(JsonReader.parse("\"a\\ude00b\"")).isEqualTo("a\ufffdb");
    assertThat(JsonReader.parse("\"\\ude00\\ud83d\"")).isEqualTo("\ufffd\ufffd");
    assertThat(JsonReader.parse("\"\\ud83d\\ud83d\\ude00\"")).isEqualTo("\ufffd\ud83d\ude00");
    assertThat(JsonReader.parse("\"end\\ud83d\"")).isEqualTo("end\ufffd");
    assertThat(JsonReader.parse("\"raw\ud83d\"")).isEqualTo("raw\ufffd");
    assertThat(JsonReader.parseObject("{\"\\ud800\":1}")).containsOnlyKeys("\ufffd");
  }

  @Test
  void parseObjectReturnsTheTopLevelObject() {
    Map<String, Object> object = JsonReader.parseObject(" {\"a\": {\"b\": [1]}} ");

    assertThat(object).isEqualTo(Map.of("a", Map.of("b", List.of(1L))));
    assertThat(object).isInstanceOf(LinkedHashMap.class);
  }

  @Test
  void parseObjectRejectsOtherTopLevelValues() {
    for (String notAnObject : List.of("[]", "\"{}\"", "1", "null", "", "  ")) {
      assertThatThrownBy(() -> JsonReader.parseObject(notAnObject))
          .as(notAnObject)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected an object");
    }
    assertThatThrownBy(() -> JsonReader.parseObject("{} {}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 3");
  }

  @Test
  void rejectsMalformedDocuments() {
    for (String bad :
        List.of(
            "",
            "   ",
            "{",
            "}",
            "[",
            "]",
            "[1,]",
            "[,1]",
            "[1 2]",
            "[1,,2]",
            "[1]]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{\"a\":}",
            "{,}",
            "{a:1}",
            "{'a':1}",
            "{1:1}",
            "{\"a\":1 \"b\":2}",
            "['a']",
            "01",
            "-01",
            "00",
            "-",
            "-a",
            "+1",
            "1.",
            ".5",
            "1.e5",
            "1e",
            "1e+",
            "1.5.2",
            "0x10",
            "1_000",
            "NaN",
            "Infinity",
            "-Infinity",
            "1e400",
            "-1e400",
            "\"a",
            "\"a\\",
            "\"a\\\"",
            "\"\n\"",
            "\"\t\"",
            "\"\u0000\"",
            "\"\\x\"",
            "\"\\a\"",
            "\"\\U0041\"",
            "\"\\u12\"",
            "\"\\u12G4\"",
            "\"\\u+123\"",
            "\"\\u-123\"",
            "\"\\u\uff11234\"",
            "tru",
            "nul",
            "True",
            "NULL",
            "truex",
            "1 2",
            "{} x",
            "{\"a\":1,\"a\":2}",
            "{\"a\":1,\"\\u0061\":2}",
            "\ufeff{}",
            "\u00a0{}",
            "\f{}",
            "\u000b{}",
            "// comment\n{}",
            "/* comment */ {}",
            "{} // comment")) {
      assertThatThrownBy(() -> JsonReader.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("malformed JSON at offset ");
    }
  }

  @Test
  void errorsNameTheProblemAndWhereItIs() {
    assertThatThrownBy(() -> JsonReader.parse("[1,]"))
        .hasMessage("malformed JSON at offset 3 (line 1, column 4): expected a value, found ']'");
    assertThatThrownBy(() -> JsonReader.parse("{\"a\":1} x"))
        .hasMessage(
            "malformed JSON at offset 8 (line 1, column 9):"
                + " unexpected 'x' after the end of the document");
    assertThatThrownBy(() -> JsonReader.parse("{\n  \"a\": 1,\n  \"b\" 2\n}"))
        .hasMessage(
            "malformed JSON at offset 18 (line 3, column 7):"
                + " expected ':' after a member name, found '2'");
    assertThatThrownBy(() -> JsonReader.parse("[\"abc"))
        .hasMessage("malformed JSON at offset 1 (line 1, column 2): unterminated string");
    assertThatThrownBy(() -> JsonReader.parse("[\"a\\qb\"]"))
        .hasMessageContaining("offset 3")
        .hasMessageContaining("bad escape sequence \\q");
    assertThatThrownBy(() -> JsonReader.parse("\"ab\\u00zz\""))
        .hasMessageContaining("offset 3")
        .hasMessageContaining("four hex digits");
    assertThatThrownBy(() -> JsonReader.parse("\"a\nb\""))
        .hasMessageContaining("offset 2")
        .hasMessageContaining("unescaped control character U+000A");
    assertThatThrownBy(() -> JsonReader.parse("[1, -012]"))
        .hasMessageContaining("offset 4")
        .hasMessageContaining("leading zero");
    assertThatThrownBy(() -> JsonReader.parse("[1.]"))
        .hasMessageContaining("offset 3")
        .hasMessageContaining("expected a digit after the decimal point, found ']'");
    assertThatThrownBy(() -> JsonReader.parse("{\"k\":1,\"k\":2}"))
        .hasMessageContaining("offset 7")
        .hasMessageContaining("duplicate member name \"k\"");
    assertThatThrownBy(() -> JsonReader.parse("[1e999]"))
        .hasMessageContaining("offset 1")
        .hasMessageContaining("number out of range: 1e999");
    assertThatThrownBy(() -> JsonReader.parse("[1,"))
        .hasMessageContaining("offset 3")
        .hasMessageContaining("found the end of the input");
    assertThatThrownBy(() -> JsonReader.parse("\ufeff[]"))
        .hasMessageContaining("offset 0")
        .hasMessageContaining("found U+FEFF");
  }

  @Test
  void acceptsNestingUpToTheLimit() {
    String arrays = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
    Object value = JsonReader.parse(arrays);
    for (int level = 1; level < JsonReader.MAX_DEPTH; level++) {
      assertThat(value).isInstanceOf(List.class);
      value = ((List<?>) value).get(0);
    }
    assertThat(value).isEqualTo(List.of());

    String objects = "{\"a\":".repeat(JsonReader.MAX_DEPTH - 1) + "{}" + "}".repeat(511);
    assertThat(JsonReader.parse(objects)).isInstanceOf(Map.class);
  }

  @Test
  void rejectsNestingBeyondTheLimit() {
    int tooDeep = JsonReader.MAX_DEPTH + 1;
    assertThatThrownBy(() -> JsonReader.parse("[".repeat(tooDeep) + "]".repeat(tooDeep)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 512")
        .hasMessageContaining("nested deeper than 512");
    assertThatThrownBy(
            () -> JsonReader.parse("{\"a\":".repeat(tooDeep) + "1" + "}".repeat(tooDeep)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested deeper than 512");
  }

  @Test
  void hostileNestingFailsCleanlyInsteadOfOverflowingTheStack() {
    for (String opener : List.of("[", "{\"a\":", "[{\"a\":")) {
      String hostile = opener.repeat(1_000_000);
      assertThatThrownBy(() -> JsonReader.parse(hostile))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nested deeper than 512");
    }
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> JsonReader.parse(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> JsonReader.parseObject(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void readsWhatJsonWriterWrites() {
    for (boolean pretty : List.of(false, true)) {
      StringBuilder out = new StringBuilder();
      new JsonWriter(out, pretty)
          .beginObject()
          .name("schema")
          .value("cachelens.summary/v1")
          .name("longs")
          .beginArray()
          .value(0)
          .value(-1)
          .value(Long.MAX_VALUE)
          .value(Long.MIN_VALUE)
          .endArray()
          .name("doubles")
          .beginArray()
          .value(0.1)
          .value(-0.0)
          .value(3.0)
          .value(1e300)
          .value(Double.MIN_VALUE)
          .value(-Double.MAX_VALUE)
          .value(Double.NaN)
          .value(Double.POSITIVE_INFINITY)
          .endArray()
          .name("flags")
          .beginArray()
          .value(true)
          .value(false)
          .nullValue()
          .value((String) null)
          .endArray()
          .name("empty")
          .beginObject()
          .name("array")
          .beginArray()
          .endArray()
          .name("object")
          .beginObject()
          .endObject()
          .endObject()
          .name("names \"quoted\"\n\u2028")
          .value("lone \ud83d and pair \ud83d\ude00")
          .endObject();

      Map<String, Object> expected = new LinkedHashMap<>();
      expected.put("schema", "cachelens.summary/v1");
      expected.put("longs", List.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE));
      expected.put(
          "doubles",
          Arrays.asList(0.1, -0.0, 3.0, 1e300, Double.MIN_VALUE, -Double.MAX_VALUE, null, null));
      expected.put("flags", Arrays.asList(true, false, null, null));
      expected.put("empty", Map.of("array", List.of(), "object", Map.of()));
      expected.put("names \"quoted\"\n\u2028", "lone \ufffd and pair \ud83d\ude00");

      Map<String, Object> parsed = JsonReader.parseObject(out.toString());
      assertThat(parsed).as("pretty=" + pretty).isEqualTo(expected);
      assertThat(parsed.keySet()).containsExactlyElementsOf(expected.keySet());
    }
  }

  @Test
  void everyCharacterRoundTripsThroughTheWriter() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < Character.MIN_SURROGATE; c++) {
      all.append(c);
    }
    for (int c = Character.MAX_SURROGATE + 1; c <= 0xFFFF; c++) {
      all.append((char) c);
    }
    all.appendCodePoint(0x10000).appendCodePoint(0x1F600).appendCodePoint(0x10FFFF);
    String text = all.toString();

    assertThat(JsonReader.parse(write(text, false))).isEqualTo(text);
  }

  @Test
  void randomDocumentsRoundTripThroughTheWriter() {
    Random random = new Random(20_240_611L);
    for (int i = 0; i < 500; i++) {
      Object document = randomValue(random, 0);
      boolean pretty = random.nextBoolean();
      String json = write(document, pretty);
      assertThat(JsonReader.parse(json)).as(json).isEqualTo(document);
      // And once more: what was read writes back to the same text.
      assertThat(write(JsonReader.parse(json), pretty)).isEqualTo(json);
    }
  }

  private static Object randomValue(Random random, int depth) {
    int kind = random.nextInt(depth >= 6 ? 5 : 7);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return random.nextBoolean();
      case 2:
        return random.nextBoolean() ? random.nextInt(1000) : random.nextLong();
      case 3:
        double d = random.nextBoolean() ? random.nextDouble() * 1000 : random.nextGaussian() * 1e-9;
        return random.nextBoolean() ? d : -d;
      case 4:
        return randomString(random);
      case 5:
        {
          List<Object> list = new ArrayList<>();
          int size = random.nextInt(5);
          for (int i = 0; i < size; i++) {
            list.add(randomValue(random, depth + 1));
          }
          return list;
        }
      default:
        {
          Map<String, Object> map = new LinkedHashMap<>();
          int size = random.nextInt(5);
          for (int i = 0; i < size; i++) {
            map.put(randomString(random), randomValue(random, depth + 1));
          }
          return map;
        }
    }
  }

  private static String randomString(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(8);
    for (int i = 0; i < length; i++) {
      int codePoint =
          switch (random.nextInt(4)) {
            case 0 -> random.nextInt(0x20);
            case 1 -> 0x20 + random.nextInt(0x60);
            case 2 -> random.nextInt(Character.MIN_SURROGATE);
            default -> 0x10000 + random.nextInt(0x100000);
          };
      text.appendCodePoint(codePoint);
    }
    return text.toString();
  }

  private static String write(Object value, boolean pretty) {
    StringBuilder out = new StringBuilder();
    JsonWriter writer = new JsonWriter(out, pretty);
    writeValue(writer, value);
    assertThat(writer.isComplete()).isTrue();
    return out.toString();
  }

  private static void writeValue(JsonWriter writer, Object value) {
    if (value == null) {
      writer.nullValue();
    } else if (value instanceof Boolean b) {
      writer.value(b);
    } else if (value instanceof Long l) {
      writer.value(l);
    } else if (value instanceof Double d) {
      writer.value(d);
    } else if (value instanceof String s) {
      writer.value(s);
    } else if (value instanceof List<?> list) {
      writer.beginArray();
      list.forEach(element -> writeValue(writer, element));
      writer.endArray();
    } else if (value instanceof Map<?, ?> map) {
      writer.beginObject();
      map.forEach(
          (name, member) -> {
            writer.name((String) name);
            writeValue(writer, member);
          });
      writer.endObject();
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value);
    }
  }
}
