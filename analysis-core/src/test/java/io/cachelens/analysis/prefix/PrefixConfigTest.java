package io.cachelens.analysis.prefix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixConfigTest {

  @Test
  void defaults() {
    PrefixConfig config = PrefixConfig.defaults();

    assertThat(config.delimiters()).isEqualTo(":");
    assertThat(config.maxDepth()).isEqualTo(4);
    assertThat(config.maxPrefixes()).isEqualTo(256);
    assertThat(config.patterns()).isEmpty();
    assertThat(PrefixConfig.builder().build()).isEqualTo(config);
  }

  @Test
  void builderKeepsSettings() {
    PrefixConfig config =
        PrefixConfig.builder()
            .delimiters(":/|")
            .maxDepth(6)
            .maxPrefixes(1_000)
            .patterns(List.of("a:*"))
            .addPattern("b:**")
            .build();

    assertThat(config.delimiters()).isEqualTo(":/|");
    assertThat(config.maxDepth()).isEqualTo(6);
    assertThat(config.maxPrefixes()).isEqualTo(1_000);
    assertThat(config.patterns()).containsExactly("a:*", "b:**");
    assertThat(config.toString()).contains("maxDepth=6", "a:*");
  }

  @Test
  void patternsAreUnmodifiableAndCopied() {
    List<String> patterns = new ArrayList<>(List.of("a:*"));
    PrefixConfig config = PrefixConfig.builder().patterns(patterns).build();
    patterns.add("b:*");

    assertThat(config.patterns()).containsExactly("a:*");
    assertThatThrownBy(() -> config.patterns().add("c:*"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsBadNumbers() {
    assertThatThrownBy(() -> PrefixConfig.builder().maxDepth(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxDepth must be between 1 and 16, was 0");
    assertThatThrownBy(() -> PrefixConfig.builder().maxDepth(17))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrefixConfig.builder().maxPrefixes(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPrefixes must be between 3 and 65536, was 2");
    assertThatThrownBy(() -> PrefixConfig.builder().maxPrefixes(65_537))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsBadDelimiters() {
    for (String delimiters : Arrays.asList(null, "", "a", "7", "*", "{", "}", "\t", "é")) {
      assertThatThrownBy(() -> PrefixConfig.builder().delimiters(delimiters))
          .as("%s", delimiters)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("delimiter");
    }
  }

  @Test
  void rejectsBadPatterns() {
    for (String pattern : Arrays.asList(null, "", "  ", "a*b:c", "*a", "**:x", "**", "a:**:b")) {
      assertThatThrownBy(() -> PrefixConfig.builder().addPattern(pattern).build())
          .as("%s", pattern)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> PrefixConfig.builder().addPattern("user:a*b").build())
        .hasMessageContaining("invalid prefix pattern 'user:a*b'")
        .hasMessageContaining("segment 'a*b'");
    assertThatThrownBy(() -> PrefixConfig.builder().patterns(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void patternSyntaxDependsOnTheDelimiters() {
    // with '/' as a delimiter "a/*" is a segment wildcard; with ':' only it is "a/" then '*'
    assertThat(PrefixConfig.builder().delimiters(":/").addPattern("a/*").build().patterns())
        .containsExactly("a/*");
    assertThat(PrefixConfig.builder().addPattern("a/*").build().patterns()).containsExactly("a/*");
    assertThatThrownBy(() -> PrefixConfig.builder().addPattern("a*/b").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsTooManyPatterns() {
    List<String> patterns = new ArrayList<>();
    for (int i = 0; i <= PrefixConfig.MAX_PATTERNS; i++) {
      patterns.add("p" + i + ":*");
    }

    assertThatThrownBy(() -> PrefixConfig.builder().patterns(patterns))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 256 patterns");
  }
}
