package dev.switchboard.engine.internal.lease;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded queue of requests waiting for a connection slot in one sub-service. Lock-free; FIFO, with a
 * waiter that could not be served put back at the head. A sub-service that keeps its name (and its capacity) across
 * a reconfiguration keeps its queue, so the old table and the new one serve the same line. Thread-safe.
 */
public final class WaitQueue {

    private final ConcurrentLinkedDeque<Waiter> waiters = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    public WaitQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Adds a waiter at the tail. @return false when the queue is full */
    public boolean offer(Waiter waiter) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        waiters.addLast(waiter);
        return true;
    }

    /** Takes the waiter at the head, or null. */
    public Waiter poll() {
        Waiter w = waiters.pollFirst();
        if (w != null) {
            size.decrementAndGet();
        }
        return w;
    }

    /** Puts back a waiter that could not be served. */
    public void pushBack(Waiter waiter) {
        size.incrementAndGet();
        waiters.addFirst(waiter);
    }

    /** Removes a waiter (on its timeout). @return whether it was still queued */
    public boolean remove(Waiter waiter) {
        if (waiters.remove(waiter)) {
            size.decrementAndGet();
            return true;
        }
        return false;
    }

    /** The most waiters it holds. */
    public int capacity() {
        return capacity;
    }

    public boolean isEmpty() {
        return waiters.isEmpty();
    }

    public int size() {
        return Math.max(0, size.get());
    }
}
