package dev.switchboard.engine.internal.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class StripedCountersTest {

    @Test
    void addsFromManyThreads_sumExactly_perCounter() throws InterruptedException {
        StripedCounters c = new StripedCounters(17); // more than one 128-byte line per stripe
        int threads = 12; // more than the stripes of a small machine: threads share stripes
        int adds = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < adds; i++) {
                    c.add(0, 1);
                    c.add(16, 3);
                    c.add(5, -1);
                }
            });
            thread.start();
            all.add(thread);
        }
        start.countDown();
        for (Thread thread : all) {
            thread.join(30_000);
        }

        assertThat(c.sum(0)).isEqualTo((long) threads * adds);
        assertThat(c.sum(16)).isEqualTo(3L * threads * adds);
        assertThat(c.sum(5)).isEqualTo(-(long) threads * adds);
        assertThat(c.sum(1)).isZero();
        assertThat(c.sum(15)).isZero();
    }

    @Test
    void stripes_areAPowerOfTwo_atLeastTwicetheProcessors_upTo16() {
        assertThat(StripedCounters.stripes(1)).isEqualTo(2);
        assertThat(StripedCounters.stripes(2)).isEqualTo(4);
        assertThat(StripedCounters.stripes(3)).isEqualTo(8);
        assertThat(StripedCounters.stripes(8)).isEqualTo(16);
        assertThat(StripedCounters.stripes(200)).isEqualTo(16);
        assertThatIllegalArgumentException().isThrownBy(() -> new StripedCounters(0)).withMessageContaining("counters");
    }
}
