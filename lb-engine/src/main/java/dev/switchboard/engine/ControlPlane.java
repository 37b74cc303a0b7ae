package dev.switchboard.engine;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's control plane: one writer at a time, and the listener outside every lock.
 *
 * <p>A change ({@link #change}: a reconfiguration, an admin state, a health or outlier report, an agent's wishes)
 * runs under one lock, so changes never interleave and each one sees the live state the previous one left; the
 * caller gets its result or its exception at once. What a change has to tell the {@link
 * dev.switchboard.api.event.EngineListener} it {@link #publish publishes}; the events are queued in the order of
 * the changes and delivered after the lock is released, one at a time, by whichever thread is draining the queue
 * (as gRPC's {@code SynchronizationContext} runs its tasks). A listener may therefore call back into the engine:
 * its change runs at once, and its own events are delivered after the ones already queued. The request path never
 * touches any of this.
 *
 * <p>Thread-safe. An event handler that throws is logged and skipped; the next event is still delivered.
 */
final class ControlPlane {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchEngine.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Queue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Thread> drainer = new AtomicReference<>();

    /**
     * Runs {@code change} as the only writer, then delivers the events it (and any change before it) published,
     * unless the calling thread is already inside a change or delivering events.
     *
     * @return what {@code change} returns
     */
    <T> T change(Supplier<T> change) {
        lock.lock();
        try {
            return change.get();
        } finally {
            lock.unlock();
            drain();
        }
    }

    /**
     * Queues {@code event} for delivery once the current change has released the lock.
     *
     * @throws IllegalStateException when called outside a change (events keep the order of the changes)
     */
    void publish(Runnable event) {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("events are published from inside a change");
        }
        events.add(event);
    }

    /** Whether the calling thread is inside a change (for assertions in tests). */
    boolean inChange() {
        return lock.isHeldByCurrentThread();
    }

    private void drain() {
        if (lock.isHeldByCurrentThread()) {
            return; // a nested change: the outermost one delivers, after its unlock
        }
        Thread me = Thread.currentThread();
        while (!events.isEmpty() && drainer.compareAndSet(null, me)) {
            try {
                Runnable event;
                while ((event = events.poll()) != null) {
                    try {
                        event.run();
                    } catch (RuntimeException e) {
                        LOG.warn("engine listener threw; ignored", e);
                    }
                }
            } finally {
                drainer.set(null);
            }
            // an event queued after our last poll and before the release is delivered by the next round
        }
    }
}
