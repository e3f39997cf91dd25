package io.cachelens.examples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagsTest {

  private static final Map<String, String> KNOWN =
      Map.of("--host", "REDIS_HOST", "--port", "REDIS_PORT", "--duration", "DEMO_DURATION");

  @Test
  void fallsBackToTheDefaults() {
    Flags flags = Flags.parse(new String[0], Map.of(), KNOWN);

    assertThat(flags.text("--host", "127.0.0.1")).isEqualTo("127.0.0.1");
    assertThat(flags.integer("--port", 6379)).isEqualTo(6379);
    assertThat(flags.duration("--duration", Duration.ofSeconds(60)))
        .isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void flagsWinOverEnvironmentInBothSpellings() {
    Flags flags =
        Flags.parse(
            new String[] {"--port", "7000", "--duration=1500ms"},
            Map.of("REDIS_PORT", "6380", "REDIS_HOST", " cache ", "OTHER", "x"),
            KNOWN);

    assertThat(flags.text("--host", "127.0.0.1")).isEqualTo("cache");
    assertThat(flags.integer("--port", 6379)).isEqualTo(7000);
    assertThat(flags.number("--port", 6379)).isEqualTo(7000L);
    assertThat(flags.duration("--duration", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void rejectsUnknownFlagsMissingValuesAndBadNumbers() {
    assertThatThrownBy(() -> Flags.parse(new String[] {"--verbose"}, Map.of(), KNOWN))
        .hasMessage("unknown argument: --verbose");
    assertThatThrownBy(() -> Flags.parse(new String[] {"--port"}, Map.of(), KNOWN))
        .hasMessage("--port needs a value");
    assertThatThrownBy(
            () -> Flags.parse(new String[0], Map.of("REDIS_PORT", "x"), KNOWN).number("--port", 1))
        .hasMessage("the port is not a number: 'x'");
    assertThatThrownBy(
            () ->
                Flags.parse(new String[] {"--port=9999999999"}, Map.of(), KNOWN)
                    .integer("--port", 1))
        .hasMessage("the port is out of range: '9999999999'");
  }

  @Test
  void readsDurations() {
    assertThat(Flags.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Flags.parseDuration("5")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Flags.parseDuration("2.5s")).isEqualTo(Duration.ofMillis(2500));
    assertThat(Flags.parseDuration(" 2m ")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> Flags.parseDuration("soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'soon'");
  }

  @Test
  void seesHelpAnywhere() {
    assertThat(Flags.asksForHelp(new String[] {"--port", "1", "--help"})).isTrue();
    assertThat(Flags.asksForHelp(new String[] {"-h"})).isTrue();
    assertThat(Flags.asksForHelp(new String[] {"--port", "1"})).isFalse();
  }
}
