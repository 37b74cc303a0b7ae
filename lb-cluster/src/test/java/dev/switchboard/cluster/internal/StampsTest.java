package dev.switchboard.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StampsTest {

    @Test
    void next_manyWritesInOneMillisecond_strictlyIncrease_withoutRunningAheadOfTheClock() {
        AtomicLong wall = new AtomicLong(1_700_000_000_000L);
        Stamps stamps = new Stamps(wall::get, 5);
        long prev = Long.MIN_VALUE;
        for (int i = 0; i < 10_000; i++) {
            if (i % 10 == 0) {
                wall.incrementAndGet(); // 10 writes a millisecond: 10,000 writes a second
            }
            long s = stamps.next();
            assertThat(s).isGreaterThan(prev);
            prev = s;
        }
        assertThat(prev).as("the last stamp is within the clock's millisecond")
                .isLessThan(Stamps.ofMillis(wall.get() + 1)).isGreaterThanOrEqualTo(Stamps.ofMillis(wall.get()));
    }

    @Test
    void next_twoMembers_orderedByWallClock_whateverTheirTagsAndCounts() {
        AtomicLong wallA = new AtomicLong(1_700_000_000_000L);
        AtomicLong wallB = new AtomicLong(1_700_000_000_001L);
        Stamps a = new Stamps(wallA::get, 0xFFF);
        Stamps b = new Stamps(wallB::get, 1);
        long lastOfA = 0;
        for (int i = 0; i < 500; i++) {
            lastOfA = a.next();
        }
        assertThat(b.next()).as("B's write a millisecond later wins over A's burst").isGreaterThan(lastOfA);
        assertThat(Stamps.ofMillis(System.currentTimeMillis())).as("positive today").isPositive();
    }
}
