package dev.switchboard.micrometer.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict reader refuses what Prometheus would refuse or what would be an inconsistent histogram. */
class PrometheusTextTest {

    private static final String GOOD = """
            # HELP t_seconds a timer
            # TYPE t_seconds histogram
            t_seconds_bucket{a="x",le="0.1"} 1
            t_seconds_bucket{a="x",le="+Inf"} 2
            t_seconds_count{a="x"} 2
            t_seconds_sum{a="x"} 0.3
            # TYPE c_total counter
            c_total{a="q\\"uote\\\\d"} 5.0
            """;

    @Test
    void parse_wellFormed_readsValuesAndEscapes() {
        PrometheusText text = PrometheusText.parse(GOOD, false);
        assertThat(text.value("t_seconds_count", Map.of("a", "x"))).isEqualTo(2);
        assertThat(text.value("c_total", Map.of("a", "q\"uote\\d"))).isEqualTo(5);
        assertThat(text.types()).containsEntry("t_seconds", "histogram");
    }

    @Test
    void parse_brokenText_namesTheProblem() {
        assertThatThrownBy(() -> PrometheusText.parse(GOOD.replace("t_seconds_count{a=\"x\"} 2",
                "t_seconds_count{a=\"x\"} 3"), false)).hasMessageContaining("_count 3.0 != +Inf bucket 2.0");
        assertThatThrownBy(() -> PrometheusText.parse(GOOD.replace("le=\"0.1\"} 1", "le=\"0.1\"} 3"), false))
                .hasMessageContaining("not cumulative");
        assertThatThrownBy(() -> PrometheusText.parse(GOOD.replace("{a=\"q", "{1a=\"q"), false))
                .hasMessageContaining("label name '1a'");
        assertThatThrownBy(() -> PrometheusText.parse(GOOD.replace("5.0", "five"), false))
                .hasMessageContaining("value 'five'");
        assertThatThrownBy(() -> PrometheusText.parse(GOOD + "c_total{a=\"q\\\"uote\\\\d\"} 6\n", false))
                .hasMessageContaining("the same series twice");
        assertThatThrownBy(() -> PrometheusText.parse(GOOD + "u 1\n", false))
                .hasMessageContaining("a sample without a TYPE");
        assertThatThrownBy(() -> PrometheusText.parse(GOOD + "t_seconds_sum{a=\"y\"} 1\n", false))
                .hasMessageContaining("not contiguous");
        assertThatThrownBy(() -> PrometheusText.parse(GOOD, true)).hasMessageContaining("# EOF");
        assertThat(PrometheusText.parse(GOOD + "# EOF\n", true).samples()).hasSize(5);
    }
}
