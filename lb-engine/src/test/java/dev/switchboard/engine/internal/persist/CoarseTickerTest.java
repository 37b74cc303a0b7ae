package dev.switchboard.engine.internal.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.testing.Eventually;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CoarseTickerTest {

    private final FakeTicker source = new FakeTicker();

    @Test
    void read_sourceMovedWithoutRefresh_keepsTheLastReading() {
        CoarseTicker ticker = CoarseTicker.manual(source);
        long start = ticker.read();

        source.advance(Duration.ofSeconds(5));

        assertThat(ticker.read()).isEqualTo(start).isEqualTo(source.read() - Duration.ofSeconds(5).toNanos());
    }

    @Test
    void refresh_sourceMoved_readFollows() {
        CoarseTicker ticker = CoarseTicker.manual(source);
        source.advance(Duration.ofSeconds(5));

        ticker.refresh();

        assertThat(ticker.read()).isEqualTo(source.read());
    }

    @Test
    void refresh_sourceWentBack_keepsTheLaterReading() {
        CoarseTicker ticker = CoarseTicker.manual(source);
        long start = ticker.read();

        source.advance(Duration.ofSeconds(-1));
        ticker.refresh();

        assertThat(ticker.read()).isEqualTo(start);
    }

    @Test
    void start_timer_refreshesPeriodically() throws InterruptedException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            CoarseTicker ticker = CoarseTicker.start(timer, Duration.ofMillis(5), source);
            source.advance(Duration.ofSeconds(1));

            Eventually.until("the timer's refresh", () -> ticker.read() == source.read());
        } finally {
            timer.shutdownNow();
            assertThat(timer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void start_zeroPeriod_throwsNamingThePeriod() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            assertThatThrownBy(() -> CoarseTicker.start(timer, Duration.ZERO, source))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("period: PT0S (expected: > 0)");
        } finally {
            timer.shutdownNow();
        }
    }
}
