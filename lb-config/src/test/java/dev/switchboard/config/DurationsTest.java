package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"250ms, PT0.25S", "2s, PT2S", "45m, PT45M", "1h, PT1H", "0s, PT0S", "PT45M, PT45M",
        "PT0.5S, PT0.5S", "P1D, PT24H", "pt2s, PT2S"})
    void parse_shortOrIsoText_givesDuration(String text, String iso) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|duration '': empty",
        "-5s|duration '-5s': negative",
        "PT-5S|duration 'PT-5S': negative",
        "5|duration '5': no unit",
        "s|duration 's': no number",
        "5d|duration '5d': unknown unit 'd'",
        "2 s|duration '2 s': unknown unit ' s'",
        "1.5s|duration '1.5s': unknown unit '.5s'",
        "99999999999999999999s|duration '99999999999999999999s': too large",
        "9999999999999999h|duration '9999999999999999h': too large",
        "PT99999999999999999999H|duration 'PT99999999999999999999H': too large",
        "P5X|duration 'P5X': not ISO-8601"})
    void parse_badText_throwsNamingValueAndProblem(String text, String message) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message + " (expected: a whole number with ms, s, m or h");
    }

    @Test
    void format_roundDurations_givesShortestText() {
        assertThat(Durations.format(Duration.ofMinutes(45))).isEqualTo("45m");
        assertThat(Duration.ofHours(2)).isEqualTo(Durations.parse(Durations.format(Duration.ofHours(2))));
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofNanos(5))).isEqualTo("PT0.000000005S");
    }
}
