package dev.switchboard.health.internal;

import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * When each probe group runs next, on the checker's scheduler: due times are rounded up to a slot (10 ms by default)
 * and every group due in the same slot runs in one timer tick, so that 1,000 probes a second cost about 100 timer
 * wake-ups rather than 1,000 scheduled tasks. One task is armed at a time, for the earliest slot. Not thread-safe:
 * used only on the scheduler thread.
 */
public final class ProbeTimer {

    private final ScheduledExecutorService scheduler;
    private final long slotNanos;
    private final Consumer<ProbeGroup> run;
    private final PriorityQueue<ProbeGroup> due =
            new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos() - b.dueNanos(), 0));
    private ScheduledFuture<?> armed;
    private long armedSlot;

    public ProbeTimer(ScheduledExecutorService scheduler, long slotNanos, Consumer<ProbeGroup> run) {
        this.scheduler = scheduler;
        this.slotNanos = slotNanos;
        this.run = run;
    }

    /**
     * Runs {@code group} in the slot that holds {@code delayNanos} from now (rounded up to the slot's end).
     *
     * @throws RejectedExecutionException when the scheduler is shut down
     */
    public void schedule(ProbeGroup group, long delayNanos) {
        long now = System.nanoTime();
        long slot = Math.floorDiv(now + delayNanos + slotNanos - 1, slotNanos);
        group.dueNanos(slot * slotNanos);
        due.add(group);
        if (armed == null || slot - armedSlot < 0) {
            arm(slot, now);
        }
    }

    private void arm(long slot, long now) {
        if (armed != null) {
            armed.cancel(false);
        }
        armedSlot = slot;
        armed = scheduler.schedule(this::tick, Math.max(0, slot * slotNanos - now), TimeUnit.NANOSECONDS);
    }

    private void tick() {
        armed = null;
        long now = System.nanoTime();
        ProbeGroup g;
        while ((g = due.peek()) != null && g.dueNanos() - now <= slotNanos / 2) {
            due.poll();
            if (!g.closed()) {
                run.accept(g);
            }
        }
        if (g == null) {
            return;
        }
        long slot = Math.floorDiv(g.dueNanos(), slotNanos);
        if (armed == null || slot - armedSlot < 0) {
            try {
                arm(slot, now);
            } catch (RejectedExecutionException e) {
                // shut down: nothing more runs
            }
        }
    }
}
