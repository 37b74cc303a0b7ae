package dev.switchboard.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The loop's indexed timer heap against a plain sorted list, under random adds, removals and polls. */
class TimerHeapTest {

    private static final class T extends HealthLoop.Timer {
        final int id;

        T(int id, long due) {
            this.id = id;
            this.due = due;
        }

        @Override
        protected void fire(long now) {
        }
    }

    @Test
    void randomAddsRemovesAndPollsKeepDueOrder() {
        SplittableRandom random = new SplittableRandom(42);
        TimerHeap heap = new TimerHeap();
        List<T> model = new ArrayList<>();
        long base = Long.MAX_VALUE - 250_000;
        Comparator<T> byDue = Comparator.comparingLong(t -> t.due - base); // dues wrap past Long.MAX_VALUE
        int next = 0;
        for (int step = 0; step < 50_000; step++) {
            int op = random.nextInt(10);
            if (op < 5 || model.isEmpty()) {
                // about half the dues wrap past Long.MAX_VALUE: the heap compares by difference, like nanoTime values
                T t = new T(next++, base + random.nextLong(500_000));
                heap.add(t);
                model.add(t);
            } else if (op < 8) {
                T t = model.remove(random.nextInt(model.size()));
                heap.remove(t);
                heap.remove(t); // twice: the second does nothing
                assertThat(t.index).isEqualTo(-1);
            } else {
                T expected = model.stream().min(byDue).orElseThrow();
                T polled = (T) heap.poll();
                assertThat(polled.due).isEqualTo(expected.due);
                model.remove(polled);
                assertThat(polled.index).isEqualTo(-1);
            }
            assertThat(heap.size()).isEqualTo(model.size());
        }
        model.sort(byDue);
        for (T t : model) {
            assertThat(heap.poll().due).isEqualTo(t.due);
        }
        assertThat(heap.poll()).isNull();
    }

    @Test
    void duesAcrossTheWrapOfNanoTimeCompareByDifference() {
        TimerHeap heap = new TimerHeap();
        T late = new T(1, Long.MIN_VALUE + 10); // after the wrap: later
        T early = new T(2, Long.MAX_VALUE - 10);
        heap.add(late);
        heap.add(early);
        assertThat(heap.poll()).isSameAs(early);
        assertThat(heap.poll()).isSameAs(late);
    }
}
