package dev.switchboard.examples.gateway.admin;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SparklineTest {

    private static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(15);
    private static final Duration STEP = Duration.ofSeconds(10);

    @Test
    void noTraffic_anEmptyFrameAndWordsSayingSo() {
        String svg = Sparkline.svg(List.of(), NOW, WINDOW, STEP);

        assertThat(svg).startsWith("<svg class=\"spark\"").endsWith("</svg>").doesNotContain("polyline")
                .contains("aria-label=\"last 15m00s: requests up to 0, errors up to 0\"")
                .contains("data-points=\"0\"");
    }

    @Test
    void points_placedByTimeFromTheRightEdge_scaledToTheHighestRate_errorsOnTheSameScale() {
        List<RateHistory.Point> points = List.of(
                new RateHistory.Point(NOW.minus(WINDOW.dividedBy(2)), 10, 0),
                new RateHistory.Point(NOW, 40, 10));

        String svg = Sparkline.svg(points, NOW, WINDOW, STEP);

        // x: half the window ago is the middle (90), now the right edge (180); y: 40/s at the top (2), 0 at 31
        assertThat(svg).contains("class=\"spark-requests\" fill=\"none\" stroke=\"#0b57d0\" stroke-width=\"1.5\""
                + " points=\"88.0,23.8 90.0,23.8 180.0,2.0\"");
        assertThat(svg).contains("class=\"spark-errors\"").contains("points=\"88.0,31.0 90.0,31.0 180.0,23.8\"");
        assertThat(svg).contains("requests up to 40.0/s, errors up to 10.0/s").doesNotContain("http")
                .doesNotContain("style=").doesNotContain("<script");
    }

    @Test
    void pointOlderThanTheWindow_isClampedToTheLeftEdge() {
        String svg = Sparkline.svg(List.of(new RateHistory.Point(NOW.minus(Duration.ofHours(1)), 5, 0)), NOW,
                WINDOW, STEP);

        assertThat(svg).contains("points=\"0.0,2.0 0.0,2.0\"");
    }
}
