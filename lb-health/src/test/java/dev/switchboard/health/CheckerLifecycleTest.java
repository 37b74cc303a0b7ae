package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.Health;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.api.HealthCheck;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The checker's one thread under its callers: adds and removes from several threads while probes run, and close,
 * from another thread or from a handler on the checker's own thread, after which nothing reaches the sink.
 */
class CheckerLifecycleTest {

    private static final HealthCheck FAST_TCP = HealthCheck.tcp().interval(Duration.ofMillis(50))
            .timeout(Duration.ofMillis(500)).rise(1).build();

    @Test
    void addsAndRemovesFromFourThreads_whileProbesRun_leaveExactlyTheKeptTargetsUp() throws Exception {
        RecordingSink sink = new RecordingSink();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             HealthChecker checker = HealthChecker.builder(sink).seed(3).build()) {
            Address address = Address.of("127.0.0.1", server.getLocalPort());
            int threads = 4;
            int perThread = 100;
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread c = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        // a different rise per thread: four probes of the same address, each shared by 100 targets
                        HealthCheck check = FAST_TCP.newBuilder().rise(id + 1).build();
                        HealthTarget target = HealthTarget.of("vs", "t" + id, "s" + i, address, check);
                        checker.add(target);
                        if (i % 2 == 1) {
                            checker.remove(target);
                        }
                    }
                });
                callers.add(c);
                c.start();
            }
            go.countDown();
            for (Thread c : callers) {
                c.join(10_000);
            }
            Eventually.until("every kept target up", () -> {
                for (int t = 0; t < threads; t++) {
                    for (int i = 0; i < perThread; i += 2) {
                        if (checker.findHealth("vs", "t" + t, "s" + i).orElse(Health.DOWN) != Health.UP) {
                            return false;
                        }
                    }
                }
                return true;
            });
            for (int t = 0; t < threads; t++) {
                for (int i = 1; i < perThread; i += 2) {
                    assertThat(checker.findHealth("vs", "t" + t, "s" + i)).as("removed t%d s%d", t, i).isEmpty();
                }
            }
            // the verdict is visible to findHealth just before the sink hears of it
            Eventually.until("the sink told", () -> sink.lastIs("t3", "s98", Health.UP, "connected"));
        }
    }

    @Test
    void closeWhileWorkIsQueued_noSinkCallAfterItReturns() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean closedReturned = new AtomicBoolean();
        AtomicInteger callsAfterClose = new AtomicInteger();
        Set<Thread> sinkThreads = ConcurrentHashMap.newKeySet();
        CountDownLatch firstCall = new CountDownLatch(1);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HealthChecker checker = HealthChecker.builder((vs, ss, s, health, reason) -> {
                sinkThreads.add(Thread.currentThread());
                calls.incrementAndGet();
                if (closedReturned.get()) {
                    callsAfterClose.incrementAndGet();
                }
                firstCall.countDown();
                return true;
            }).seed(5).build();
            Address address = Address.of("127.0.0.1", server.getLocalPort());
            checker.add(HealthTarget.of("vs", "pool", "first", address, FAST_TCP));
            assertThat(firstCall.await(5, TimeUnit.SECONDS)).as("the first add reported").isTrue();
            for (int i = 0; i < 2_000; i++) { // each add reports the initial state on the checker's thread
                checker.add(HealthTarget.of("vs", "pool", "s" + i, address, FAST_TCP));
            }
            checker.close();
            closedReturned.set(true);
            int atClose = calls.get();
            // every sink call comes from the checker's one thread, and close waited for it to end: once it has,
            // nothing is left that could call the sink (no waiting to see whether something happens)
            assertThat(sinkThreads).hasSize(1);
            Thread loop = sinkThreads.iterator().next();
            assertThat(loop.isAlive()).as("the checker's thread ended before close returned").isFalse();
            assertThat(callsAfterClose.get()).isZero();
            assertThat(calls.get()).isEqualTo(atClose);
            checker.add(HealthTarget.of("vs", "pool", "late", address, FAST_TCP)); // dropped, no exception
            checker.close(); // idempotent
            assertThat(calls.get()).isEqualTo(atClose);
        }
    }

    @Test
    void closeFromAListener_onTheCheckersOwnThread_returnsAndStopsTheChecker() throws Exception {
        AtomicInteger sinkCalls = new AtomicInteger();
        CountDownLatch closed = new CountDownLatch(1);
        AtomicBoolean sinkAfterClose = new AtomicBoolean();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        HealthChecker[] self = new HealthChecker[1];
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            self[0] = HealthChecker.builder((vs, ss, s, health, reason) -> {
                threads.add(Thread.currentThread());
                sinkCalls.incrementAndGet();
                if (closed.getCount() == 0) {
                    sinkAfterClose.set(true);
                }
                return true;
            }).listener(new HealthListener() {
                @Override
                public void onTransition(HealthTransition transition) {
                    threads.add(Thread.currentThread());
                    self[0].close(); // on the checker's thread: must not wait for itself
                    closed.countDown();
                }
            }).build();
            Address address = Address.of("127.0.0.1", server.getLocalPort());
            self[0].add(HealthTarget.of("vs", "a", "s1", address, FAST_TCP));
            self[0].add(HealthTarget.of("vs", "b", "s1", address, FAST_TCP.newBuilder().rise(1).fall(2).build()));
            assertThat(closed.await(5, TimeUnit.SECONDS)).as("the listener's close returned").isTrue();
            // the sink and the listener ran on the checker's one thread; it ends after the round that closed, and
            // once it has ended nothing is left that could call the sink
            assertThat(threads).hasSize(1);
            Thread loop = threads.iterator().next();
            loop.join(5_000);
            assertThat(loop.isAlive()).as("the checker's thread ended").isFalse();
            assertThat(sinkAfterClose.get()).as("no sink call after the listener's close returned").isFalse();
            int atEnd = sinkCalls.get();
            self[0].add(HealthTarget.of("vs", "c", "s1", address, FAST_TCP)); // dropped, no exception
            self[0].close();
            assertThat(sinkCalls.get()).isEqualTo(atEnd);
        }
    }
}
