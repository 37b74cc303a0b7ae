package dev.switchboard.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The delays between probes of one target: exactly the interval without jitter, spread within ± jitter with it. */
class JitterTest {

    private static final long INTERVAL = Duration.ofSeconds(2).toNanos();
    private static final int PROBES = 10_000;

    /** The due times of {@code PROBES} successive probes, the first at 0. */
    private static long[] dueTimes(double jitter, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] due = new long[PROBES];
        for (int i = 1; i < PROBES; i++) {
            due[i] = due[i - 1] + Jitter.delay(INTERVAL, jitter, random);
        }
        return due;
    }

    private static long[] gaps(long[] due) {
        long[] gaps = new long[due.length - 1];
        for (int i = 1; i < due.length; i++) {
            gaps[i - 1] = due[i] - due[i - 1];
        }
        return gaps;
    }

    @Test
    void delay_noJitter_probesExactlyPeriodic() {
        long[] due = dueTimes(0, 42);

        for (int i = 0; i < PROBES; i++) {
            assertThat(due[i]).isEqualTo(i * INTERVAL);
        }
    }

    @Test
    void delay_jitter_spreadWithinPlusMinusJitter_coveringTheRange_centredOnTheInterval() {
        double jitter = 0.2;
        long spread = (long) (INTERVAL * jitter);
        long[] gaps = gaps(dueTimes(jitter, 42));

        assertThat(Arrays.stream(gaps).boxed().toList()).allSatisfy(g -> assertThat(g).isBetween(INTERVAL - spread, INTERVAL + spread));
        assertThat(Arrays.stream(gaps).distinct().count()).isGreaterThan(PROBES * 9L / 10);
        assertThat(Arrays.stream(gaps).min().orElseThrow()).isLessThan(INTERVAL - spread * 95 / 100);
        assertThat(Arrays.stream(gaps).max().orElseThrow()).isGreaterThan(INTERVAL + spread * 95 / 100);
        double mean = Arrays.stream(gaps).average().orElseThrow();
        assertThat(mean).isBetween(INTERVAL * 0.99, INTERVAL * 1.01);
    }

    @Test
    void delay_defaultJitter_staysWithinTenPercent() {
        long[] gaps = gaps(dueTimes(0.1, 7));

        assertThat(Arrays.stream(gaps).boxed().toList()).allSatisfy(g -> assertThat(g).isBetween(INTERVAL * 9 / 10, INTERVAL * 11 / 10));
        assertThat(Arrays.stream(gaps).distinct().count()).isGreaterThan(1);
    }

    @Test
    void delay_sameSeed_sameDelays() {
        assertThat(dueTimes(0.3, 5)).containsExactly(dueTimes(0.3, 5));
        assertThat(dueTimes(0.3, 5)).isNotEqualTo(dueTimes(0.3, 6));
    }
}
