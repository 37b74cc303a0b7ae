package dev.switchboard.netty.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClientCountsTest {

    private final ClientCounts counts = new ClientCounts();

    private static InetAddress address(int i) {
        try {
            return InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void atTheLimit_tryAcquire_refusedUntilOneIsReleased() {
        InetAddress a = address(1);
        assertThat(counts.tryAcquire(a, 2)).isTrue();
        assertThat(counts.tryAcquire(a, 2)).isTrue();
        assertThat(counts.tryAcquire(a, 2)).isFalse();
        assertThat(counts.tryAcquire(address(2), 2)).as("another address has its own count").isTrue();
        counts.release(a);
        assertThat(counts.held(a)).isEqualTo(1);
        assertThat(counts.tryAcquire(a, 2)).isTrue();
        assertThat(counts.tryAcquire(a, 2)).isFalse();
    }

    @Test
    void lastSlotReleased_release_removesTheAddress() {
        InetAddress a = address(1);
        counts.tryAcquire(a, 5);
        counts.tryAcquire(a, 5);
        counts.release(a);
        assertThat(counts.addresses()).isEqualTo(1);
        counts.release(a);
        assertThat(counts.addresses()).isZero();
        assertThat(counts.held(a)).isZero();
    }

    @Test
    void releaseWithoutSlot_release_throws() {
        assertThatThrownBy(() -> counts.release(address(7))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("10.0.0.7");
    }

    @Test
    void floodOfDistinctAddresses_acquireAndRelease_holdsOnlyWhatIsOpen() {
        List<InetAddress> open = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            InetAddress a = address(i);
            assertThat(counts.tryAcquire(a, 1)).isTrue();
            open.add(a);
            if (open.size() == 16) { // a client that keeps 16 connections open, each from a new address
                counts.release(open.remove(0));
            }
            assertThat(counts.addresses()).isLessThanOrEqualTo(16);
        }
        open.forEach(counts::release);
        assertThat(counts.addresses()).isZero();
    }

    @Test
    void manyThreadsOnFewAddresses_acquireAndRelease_neverAboveLimitAndEndAtZero() throws Exception {
        int threads = 8;
        int max = 2;
        InetAddress[] addresses = {address(1), address(2)};
        AtomicInteger[] inside = {new AtomicInteger(), new AtomicInteger()};
        AtomicInteger overLimit = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    start.await();
                    for (int i = 0; i < 50_000; i++) {
                        int k = random.nextInt(addresses.length);
                        if (!counts.tryAcquire(addresses[k], max)) {
                            refused.incrementAndGet();
                            continue;
                        }
                        if (inside[k].incrementAndGet() > max) {
                            overLimit.incrementAndGet();
                        }
                        for (int spin = random.nextInt(64); spin > 0; spin--) {
                            Thread.onSpinWait(); // hold the slot a little while others try
                        }
                        inside[k].decrementAndGet();
                        counts.release(addresses[k]);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(overLimit).hasValue(0);
        assertThat(refused.get()).as("8 threads on 2 addresses of 2 slots meet the limit").isPositive();
        assertThat(counts.addresses()).isZero();
        for (InetAddress a : addresses) {
            assertThat(counts.held(a)).isZero();
        }
    }
}
