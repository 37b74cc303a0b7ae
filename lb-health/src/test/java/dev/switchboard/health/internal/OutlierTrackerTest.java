package dev.switchboard.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Outcome;
import dev.switchboard.api.OutlierDetection;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The failure-rate window seen through {@link OutlierTracker#record}: successes that are not fed to the breaker
 * (its window already holds only successes) must leave the same decisions as feeding every call.
 */
class OutlierTrackerTest {

    private static final Outcome OK = Outcome.ofStatus(200, 1_000_000);
    private static final Outcome UNAVAILABLE = Outcome.ofStatus(503, 1_000_000);

    private final AtomicInteger signals = new AtomicInteger();

    /** 50 % of the last 20 calls (at least 10), no consecutive rule in the way. */
    private OutlierTracker tracker() {
        OutlierDetection rateOnly = OutlierDetection.builder().consecutiveFailures(1_000).failureRate(50, 20, 10)
                .build();
        return new OutlierTracker("vs", "ss", "s1", rateOnly, t -> signals.incrementAndGet());
    }

    private static void record(OutlierTracker t, Outcome o, int times) {
        for (int i = 0; i < times; i++) {
            t.record(o);
        }
    }

    @Test
    void longHealthyRun_thenHalfTheWindowFailing_opens() {
        OutlierTracker t = tracker();
        record(t, OK, 10_000);
        record(t, UNAVAILABLE, 9);
        assertThat(signals).as("9 of 20").hasValue(0);
        record(t, UNAVAILABLE, 1);
        assertThat(signals).as("10 of 20").hasValue(1);
    }

    @Test
    void successesAfterAFailure_countAgain() {
        OutlierTracker t = tracker();
        record(t, OK, 100);
        record(t, UNAVAILABLE, 9);
        record(t, OK, 30); // the window is successes only again: the 9 failures are out of it
        record(t, UNAVAILABLE, 9);
        assertThat(signals).as("9 of 20").hasValue(0);
        record(t, OK, 5);
        record(t, UNAVAILABLE, 1); // last 20: 5 successes, 9 failures, 5 successes, 1 failure
        assertThat(signals).as("10 of 20").hasValue(1);
    }

    @Test
    void longPollsAndEventStreams_succeedingAfterMinutes_neverOpen() {
        OutlierTracker t = tracker();
        record(t, Outcome.ofStatus(200, java.time.Duration.ofMinutes(5).toNanos()), 100);
        assertThat(signals).as("slow successes are successes").hasValue(0);
        record(t, UNAVAILABLE, 10);
        assertThat(signals).as("10 of 20 still opens").hasValue(1);
    }
}
