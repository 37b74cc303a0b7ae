package dev.switchboard.health.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The checker's one thread: tasks from other threads, timers and I/O readiness, with real threads and sockets. */
class HealthLoopTest {

    private final HealthLoop loop = new HealthLoop("test-health-loop");

    @AfterEach
    void tearDown() throws InterruptedException {
        loop.close();
        loop.awaitTermination(1_000);
    }

    private <T> T onLoop(Callable<T> call) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(call.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aTaskHandedInWhileTheLoopSleepsAlwaysWakesIt() throws Exception {
        // no timer and no I/O: a lost wake-up would leave a task waiting for good (and this test timing out)
        for (int i = 0; i < 2_000; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            loop.execute(ran::countDown);
            assertThat(ran.await(2, TimeUnit.SECONDS)).as("task %d ran", i).isTrue();
        }
    }

    @Test
    void tasksFromManyThreadsEachRunOnceOnTheLoopThread() throws Exception {
        int threads = 4;
        int perThread = 5_000;
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger offLoop = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(threads * perThread);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread s = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    loop.execute(() -> {
                        if (!loop.inLoop()) {
                            offLoop.incrementAndGet();
                        }
                        ran.incrementAndGet();
                        all.countDown();
                    });
                }
            });
            senders.add(s);
            s.start();
        }
        for (Thread s : senders) {
            s.join(10_000);
        }
        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran.get()).isEqualTo(threads * perThread);
        assertThat(offLoop.get()).isZero();
    }

    @Test
    void timersFireInDueOrderAndNotBeforeTheyAreDue() throws Exception {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(3);
        long[] firedAfter = new long[3];
        long start = System.nanoTime();
        onLoop(() -> {
            int[] delaysMillis = {60, 20, 40};
            for (int i = 0; i < 3; i++) {
                int n = i;
                loop.schedule(() -> {
                    firedAfter[n] = System.nanoTime() - start;
                    order.add(n);
                    done.countDown();
                }, TimeUnit.MILLISECONDS.toNanos(delaysMillis[i]));
            }
            return null;
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly(1, 2, 0);
        assertThat(firedAfter[1]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(firedAfter[2]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
        assertThat(firedAfter[0]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(60));
    }

    @Test
    void timersOnAManualTicker_fireWhenTheTickerReachesThem_notOnTheSystemClock() throws Exception {
        AtomicLong now = new AtomicLong();
        HealthLoop manual = new HealthLoop("test-manual-ticker", now::get);
        try {
            List<String> fired = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch first = new CountDownLatch(1);
            CountDownLatch second = new CountDownLatch(1);
            long hour = TimeUnit.HOURS.toNanos(1);
            manual.schedule(() -> {
                fired.add("1h");
                first.countDown();
            }, hour);
            manual.schedule(() -> {
                fired.add("2h");
                second.countDown();
            }, 2 * hour);

            now.set(hour);
            manual.execute(() -> { }); // wakes the loop, which then finds the first timer due
            assertThat(first.await(5, TimeUnit.SECONDS)).as("due an hour later on the ticker").isTrue();
            assertThat(fired).containsExactly("1h"); // the ticker has not reached the second
            now.set(2 * hour);
            manual.execute(() -> { });
            assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(fired).containsExactly("1h", "2h");
        } finally {
            manual.close();
            manual.awaitTermination(1_000);
        }
    }

    @Test
    void aCancelledTimerDoesNotFire_andARescheduledOneFiresOnceAtItsNewTime() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        HealthLoop.Timer moved = new HealthLoop.Timer() {
            @Override
            protected void fire(long now) {
                order.add("moved");
            }
        };
        HealthLoop.Timer queued = onLoop(() -> {
            loop.schedule(moved, TimeUnit.MILLISECONDS.toNanos(10));
            loop.schedule(moved, TimeUnit.MILLISECONDS.toNanos(80)); // moved, not added twice
            // a sentinel: timers fire in due order, so a fire at the moved one's first time would come before it
            loop.schedule(() -> order.add("between"), TimeUnit.MILLISECONDS.toNanos(40));
            return loop.schedule(() -> order.add("cancelled while queued"), TimeUnit.MILLISECONDS.toNanos(20));
        });
        // the loop holds still while this thread cancels, so each cancel comes before its timer is due
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            blocked.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
        queued.cancel(); // from this thread, while in the loop's queue
        HealthLoop.Timer notYetAdded = loop.schedule(() -> order.add("cancelled before added"),
                TimeUnit.MILLISECONDS.toNanos(20));
        notYetAdded.cancel(); // from this thread, before the loop has even queued it
        CountDownLatch later = new CountDownLatch(1);
        loop.schedule(() -> { // a sentinel due after every other timer of this test
            order.add("later");
            later.countDown();
        }, TimeUnit.MILLISECONDS.toNanos(150));
        release.countDown();
        assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).as("no cancelled timer; the moved one not at its first time, once at its new one")
                .containsExactly("between", "moved", "later");
    }

    @Test
    void aTimerCanBeScheduledAgainFromItsOwnFire() throws Exception {
        CountDownLatch three = new CountDownLatch(3);
        HealthLoop.Timer again = new HealthLoop.Timer() {
            @Override
            protected void fire(long now) {
                three.countDown();
                if (three.getCount() > 0) {
                    loop.schedule(this, TimeUnit.MILLISECONDS.toNanos(5));
                }
            }
        };
        onLoop(() -> {
            loop.schedule(again, 0);
            return null;
        });
        assertThat(three.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aThrowingTaskTimerOrHandlerDoesNotStopTheLoop() throws Exception {
        CountDownLatch handlerRan = new CountDownLatch(1);
        loop.execute(() -> {
            throw new IllegalStateException("task boom");
        });
        loop.schedule(() -> {
            throw new IllegalStateException("timer boom");
        }, 0);
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            SocketChannel ch = onLoop(() -> {
                SocketChannel c = SocketChannel.open(new InetSocketAddress(server.getInetAddress(),
                        server.getLocalPort()));
                c.configureBlocking(false);
                c.register(loop.selector(), SelectionKey.OP_WRITE, (HealthLoop.Io) key -> {
                    key.interestOps(0);
                    handlerRan.countDown();
                    throw new IllegalStateException("handler boom");
                });
                return c;
            });
            try (Socket accepted = server.accept()) {
                assertThat(handlerRan.await(5, TimeUnit.SECONDS)).as("the handler ran").isTrue();
                // handed in after the handler started: runs after it has thrown, in this round or the next
                assertThat(onLoop(() -> "still running")).isEqualTo("still running");
                assertThat(ch.isOpen()).isTrue();
            }
        }
    }

    @Test
    void closeClosesEveryRegisteredChannelAndRefusesNewWork() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            SocketChannel ch = onLoop(() -> {
                SocketChannel c = SocketChannel.open(new InetSocketAddress(server.getInetAddress(),
                        server.getLocalPort()));
                c.configureBlocking(false);
                c.register(loop.selector(), SelectionKey.OP_READ, (HealthLoop.Io) key -> {
                });
                return c;
            });
            try (Socket accepted = server.accept()) {
                loop.close();
                loop.awaitTermination(2_000);
                assertThat(ch.isOpen()).isFalse();
                accepted.setSoTimeout(2_000);
                assertThat(accepted.getInputStream().read()).as("the peer sees the close").isEqualTo(-1);
            }
        }
        assertThatThrownBy(() -> loop.execute(() -> {
        })).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> loop.schedule(() -> {
        }, 0)).isInstanceOf(RejectedExecutionException.class);
    }
}
