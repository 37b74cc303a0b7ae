package dev.switchboard.health.internal;

import dev.switchboard.api.spi.Ticker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health checker's one thread: a plain NIO {@link Selector} loop that also runs tasks handed to it and timers.
 * Scheduling probes, the I/O and timeouts of TCP and plain-HTTP probes, and applying outcomes all happen here; only
 * HTTPS probes (OkHttp's threads), custom checks (their own thread) and name lookups run elsewhere and hand their
 * results back with {@link #execute}. One thread rather than a scheduler and a selector thread saves the hand-offs
 * between the two, and a hand-off (waking another thread) costs more than handling a probe's outcome.
 *
 * <p>Each round waits for I/O until the earliest timer is due (not at all when tasks are waiting), then handles the
 * ready keys, runs the waiting tasks and fires the timers that are due, in that order. The attachment of every key
 * registered with {@link #selector()} is an {@link Io}. A handler, task or timer that throws is logged at WARN and the
 * loop goes on. {@link #close} ends the loop after its current round; the loop then closes every registered channel
 * and the selector. {@link #execute}, {@link #schedule(Runnable, long)}, {@link Timer#cancel} and {@link #close} may
 * be called from any thread; everything else only on the loop thread. Timers are due on the loop's {@link Ticker}
 * ({@link Ticker#system()} unless given): with a ticker moved by hand a timer fires in the first round after the
 * ticker reached its time, and handing the loop a task starts a round at once.
 */
public final class HealthLoop implements Executor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthLoop.class);

    /** The attachment of a registered key; {@link #ready} runs on the loop thread when the key is selected. */
    public interface Io {
        void ready(SelectionKey key);
    }

    /**
     * Something that runs once on the loop thread when due, unless cancelled before. The same timer may be scheduled
     * again once it fired or was cancelled.
     */
    public abstract static class Timer {
        long due;
        /** Its place in the {@link TimerHeap}, or -1 when not queued. */
        int index = -1;
        private volatile boolean cancelled;
        private HealthLoop loop;

        /** Runs on the loop thread; {@code now} is the loop's ticker reading of this round. */
        protected abstract void fire(long now);

        /**
         * It will not fire (unless scheduled again); any thread. On the loop thread it also leaves the queue at once,
         * else when it reaches the front.
         */
        public final void cancel() {
            cancelled = true;
            HealthLoop l = loop;
            if (l != null && l.inLoop()) {
                l.timers.remove(this);
            }
        }

        /** Whether it waits to fire (loop thread only). */
        public final boolean queued() {
            return index >= 0 && !cancelled;
        }

        /** When it is or was last due, on the loop's ticker (loop thread only). */
        public final long due() {
            return due;
        }
    }

    private final Selector selector;
    private final Ticker ticker;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final TimerHeap timers = new TimerHeap();
    /** True while the loop waits in (or is about to enter) {@code select}: only then do others wake it. */
    private final AtomicBoolean waiting = new AtomicBoolean();
    private volatile boolean closed;

    /** Starts the loop on a daemon thread called {@code threadName}, with timers on {@link Ticker#system()}. */
    public HealthLoop(String threadName) {
        this(threadName, Ticker.system());
    }

    /** Starts the loop on a daemon thread called {@code threadName}, with timers due on {@code ticker}. */
    public HealthLoop(String threadName, Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the caller runs on the loop thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** The selector; register keys only on the loop thread, with an {@link Io} as the attachment. */
    Selector selector() {
        return selector;
    }

    /**
     * Runs {@code task} on the loop thread in its next round (any thread).
     *
     * @throws RejectedExecutionException when the loop is closed
     */
    @Override
    public void execute(Runnable task) {
        if (closed) {
            throw new RejectedExecutionException("health loop closed");
        }
        tasks.add(task);
        if (!inLoop() && waiting.compareAndSet(true, false)) {
            selector.wakeup();
        }
    }

    /**
     * Fires {@code timer} {@code delayNanos} from now (loop thread only); a timer still waiting is moved.
     *
     * @throws RejectedExecutionException when the loop is closed
     */
    public void schedule(Timer timer, long delayNanos) {
        scheduleAt(timer, ticker.read() + delayNanos);
    }

    /**
     * Fires {@code timer} when the loop's ticker reaches {@code dueNanos} (loop thread only); a timer still
     * waiting is moved. Timers due at the same time fire in the same round.
     *
     * @throws RejectedExecutionException when the loop is closed
     */
    public void scheduleAt(Timer timer, long dueNanos) {
        if (closed) {
            throw new RejectedExecutionException("health loop closed");
        }
        timer.cancelled = false;
        add(timer, dueNanos);
    }

    private void add(Timer timer, long dueNanos) {
        timers.remove(timer);
        timer.due = dueNanos;
        timer.loop = this;
        timers.add(timer);
    }

    /**
     * Runs {@code task} on the loop thread {@code delayNanos} from now, unless the returned timer is cancelled first
     * (any thread).
     *
     * @throws RejectedExecutionException when the loop is closed
     */
    public Timer schedule(Runnable task, long delayNanos) {
        Timer timer = new Timer() {
            @Override
            protected void fire(long now) {
                task.run();
            }
        };
        if (inLoop()) {
            schedule(timer, delayNanos);
        } else {
            long due = ticker.read() + delayNanos;
            execute(() -> add(timer, due)); // not un-cancelled: a cancel may come before this runs
        }
        return timer;
    }

    /** Ends the loop after its current round (any thread); idempotent. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
    }

    /** Waits up to {@code millis} for the loop thread to end; returns at once on the loop thread itself. */
    public void awaitTermination(long millis) throws InterruptedException {
        if (!inLoop()) {
            thread.join(millis);
        }
    }

    private void loop() {
        try {
            while (!closed) {
                select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid()) { // else closed by a handler before it in this round
                        ready(key);
                    }
                }
                selector.selectedKeys().clear();
                for (Runnable task; !closed && (task = tasks.poll()) != null; ) {
                    run(task);
                }
                fireDue();
            }
        } catch (IOException | ClosedSelectorException e) {
            log.warn("health loop stopped", e);
        } finally {
            closeAll();
        }
    }

    private void select() throws IOException {
        Timer first;
        while ((first = timers.peek()) != null && first.cancelled) {
            timers.poll();
        }
        waiting.set(true);
        try {
            if (!tasks.isEmpty() || closed) {
                selector.selectNow();
                return;
            }
            if (first == null) {
                selector.select();
                return;
            }
            long waitNanos = first.due - ticker.read();
            if (waitNanos <= 0) {
                selector.selectNow();
            } else {
                selector.select((waitNanos + 999_999) / 1_000_000); // rounded up: never wakes before it is due
            }
        } finally {
            waiting.set(false);
        }
    }

    private static void ready(SelectionKey key) {
        try {
            ((Io) key.attachment()).ready(key);
        } catch (RuntimeException e) {
            log.warn("health loop: I/O handler {} failed", key.attachment(), e);
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("health loop: task {} failed", task, e);
        }
    }

    private void fireDue() {
        long now = ticker.read();
        Timer t;
        while (!closed && (t = timers.peek()) != null && (t.cancelled || t.due - now <= 0)) {
            timers.poll();
            if (!t.cancelled) {
                try {
                    t.fire(now);
                } catch (RuntimeException e) {
                    log.warn("health loop: timer {} failed", t, e);
                }
            }
        }
    }

    private void closeAll() {
        closed = true;
        try {
            for (SelectionKey key : selector.keys()) {
                try {
                    key.channel().close();
                } catch (IOException ignored) {
                    // nothing to do: shutting down
                }
            }
            selector.close();
        } catch (IOException | ClosedSelectorException ignored) {
            // nothing to do: shutting down
        }
        tasks.clear();
        timers.clear();
    }
}
