package io.cachelens.analysis.prefix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrefixCorpusTest {

  private static final String CORPUS = "/prefix/corpus.tsv";

  private final KeyPrefixInferrer inferrer = new KeyPrefixInferrer(PrefixConfig.defaults());

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("corpus")
  void infersTheExpectedPrefix(String key, String expected) {
    assertThat(inferrer.infer(key)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("corpus")
  void prefixIdAgreesWithInfer(String key, String expected) {
    int id = inferrer.prefixId(key.getBytes(StandardCharsets.UTF_8));

    assertThat(inferrer.prefix(id)).isEqualTo(expected);
  }

  @Test
  void corpusIsLargeAndHasNoDuplicateKeys() throws IOException {
    List<Arguments> entries = readCorpus();
    long distinctKeys = entries.stream().map(entry -> entry.get()[0]).distinct().count();

    assertThat(entries).hasSizeGreaterThanOrEqualTo(200);
    assertThat(distinctKeys).isEqualTo(entries.size());
  }

  static Stream<Arguments> corpus() throws IOException {
    return readCorpus().stream();
  }

  private static List<Arguments> readCorpus() throws IOException {
    List<Arguments> entries = new ArrayList<>();
    try (InputStream in = PrefixCorpusTest.class.getResourceAsStream(CORPUS)) {
      assertThat(in).as(CORPUS).isNotNull();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] columns = line.split("\t", -1);
        assertThat(columns).as("line %d: %s", number, line).hasSize(2);
        entries.add(Arguments.of(columns[0], columns[1]));
      }
    }
    return entries;
  }
}
