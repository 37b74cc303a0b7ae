package dev.switchboard.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class StripedCounterTest {

    @Test
    void stripes_anyProcessorCount_powerOfTwoFourPerProcessorWithin8And128() {
        assertThat(StripedCounter.stripes(1)).isEqualTo(8);
        assertThat(StripedCounter.stripes(2)).isEqualTo(8);
        assertThat(StripedCounter.stripes(3)).isEqualTo(16);
        assertThat(StripedCounter.stripes(8)).isEqualTo(32);
        assertThat(StripedCounter.stripes(32)).isEqualTo(128);
        assertThat(StripedCounter.stripes(1_000)).isEqualTo(128);
    }

    @Test
    void next_oneThread_walksTheSequenceInOrder() {
        StripedCounter counter = new StripedCounter(10);
        int first = counter.next(10);

        for (int k = 1; k < 35; k++) {
            assertThat(counter.next(10)).isEqualTo((first + k) % 10);
        }
    }

    @Test
    void advance_oneThread_skipsThatManyPositions() {
        StripedCounter counter = new StripedCounter(10);
        int first = counter.next(10);

        counter.advance(3);

        assertThat(counter.next(10)).isEqualTo((first + 4) % 10);
    }

    @Test
    void next_threadsWithConsecutiveIds_startAtDifferentOffsets() throws InterruptedException {
        StripedCounter counter = new StripedCounter(1_000);
        Set<Integer> firsts = ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> firsts.add(counter.next(1_000)));
        }
        for (Thread thread : threads) {
            thread.start();
            thread.join();
        }

        assertThat(firsts).hasSizeGreaterThan(1);
    }

    @Test
    void next_counterPastIntegerMax_staysWithinBound() {
        StripedCounter counter = new StripedCounter(7);
        counter.advance(Integer.MAX_VALUE - 3);

        for (int k = 0; k < 20; k++) {
            assertThat(counter.next(7)).isBetween(0, 6);
        }
    }
}
