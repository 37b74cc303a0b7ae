package dev.switchboard.health.internal;

import java.util.Arrays;

/**
 * The {@link HealthLoop}'s timers by due time: a binary min-heap in which each timer knows its index, so that a timer
 * cancelled on the loop thread (a probe that finished before its timeout, which is nearly every probe) is removed at
 * once in O(log n) rather than left to reach the top. Not thread-safe: loop thread only.
 */
final class TimerHeap {

    private HealthLoop.Timer[] heap = new HealthLoop.Timer[64];
    private int size;

    int size() {
        return size;
    }

    /** The earliest timer, or null. */
    HealthLoop.Timer peek() {
        return size == 0 ? null : heap[0];
    }

    /** Adds a timer that is not in the heap. */
    void add(HealthLoop.Timer t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = t;
        t.index = size;
        size++;
        siftUp(t.index);
    }

    /** Removes and returns the earliest timer, or null. */
    HealthLoop.Timer poll() {
        HealthLoop.Timer t = peek();
        if (t != null) {
            removeAt(0);
        }
        return t;
    }

    /** Removes {@code t} if it is in the heap. */
    void remove(HealthLoop.Timer t) {
        int i = t.index;
        if (i >= 0 && i < size && heap[i] == t) {
            removeAt(i);
        }
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].index = -1;
            heap[i] = null;
        }
        size = 0;
    }

    private void removeAt(int i) {
        HealthLoop.Timer removed = heap[i];
        removed.index = -1;
        size--;
        HealthLoop.Timer last = heap[size];
        heap[size] = null;
        if (i == size) {
            return;
        }
        heap[i] = last;
        last.index = i;
        siftDown(i);
        if (heap[i] == last) {
            siftUp(i);
        }
    }

    private static boolean before(HealthLoop.Timer a, HealthLoop.Timer b) {
        return a.due - b.due < 0; // nanoTime values: compared by difference
    }

    private void siftUp(int i) {
        HealthLoop.Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            HealthLoop.Timer p = heap[parent];
            if (!before(t, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void siftDown(int i) {
        HealthLoop.Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            HealthLoop.Timer c = heap[child];
            int right = child + 1;
            if (right < size && before(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!before(c, t)) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }
}
