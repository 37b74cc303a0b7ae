package dev.switchboard.engine.internal.snapshot;

import dev.switchboard.api.Decision;
import dev.switchboard.api.Outcome;
import dev.switchboard.engine.internal.lease.Affinity;
import dev.switchboard.engine.internal.lease.EngineForward;
import dev.switchboard.engine.internal.lease.WaitQueue;
import dev.switchboard.engine.internal.lease.Waiter;
import dev.switchboard.engine.internal.state.ServiceCounters;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The wait queue of one sub-service at work: a request that found every usable server at its limit waits here, with
 * a timeout (then 503), and is served when a slot frees (a lease released or a slot given back). Thread-safe.
 */
final class Waiters {

    private final String name;
    private final WaitQueue queue;
    private final long timeoutNanos;
    private final ServiceCounters counters;
    private final ScheduledExecutorService timer;

    Waiters(String name, WaitQueue queue, long timeoutNanos, ServiceCounters counters,
            ScheduledExecutorService timer) {
        this.name = name;
        this.queue = queue;
        this.timeoutNanos = timeoutNanos;
        this.counters = counters;
        this.timer = timer;
    }

    WaitQueue queue() {
        return queue;
    }

    /** Queues {@code w} with its timeout, 503 when the queue is full; {@code sub} serves it. */
    Decision enqueue(Waiter w, CompiledSubService sub) {
        if (!queue.offer(w)) {
            counters.rejected();
            return Decision.Respond.unavailable("the wait queue of '" + name + "' is full",
                    CompiledSubService.RETRY_AFTER_SECONDS);
        }
        counters.queued();
        w.timeout(timer.schedule(() -> {
            if (queue.remove(w)) {
                counters.rejected();
                w.future().complete(Decision.Respond.unavailable(
                        "no connection slot in '" + name + "' within the queue timeout",
                        CompiledSubService.RETRY_AFTER_SECONDS));
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS));
        drain(sub); // a slot may have freed between the failed pick and the offer
        return new Decision.Queued(w.future());
    }

    /** Serves waiters with servers of {@code sub} while slots are free; nothing to do when none waits. */
    void drain(CompiledSubService sub) {
        if (queue.isEmpty()) {
            return;
        }
        int spins = 0;
        Waiter w;
        while ((w = queue.poll()) != null) {
            if (w.future().isDone()) {
                continue; // cancelled by the host
            }
            Affinity a = w.affinity();
            int i = sub.picker().acquire(a.primaryKey(), a.fallbackKey(), w.hash(), false);
            if (i < 0) {
                queue.pushBack(w);
                if (++spins < 3 && sub.picker().anyAcceptsNew()) {
                    continue; // a slot freed while the waiter was out of the queue
                }
                return;
            }
            EngineForward f = sub.lease(i, 0, w.path(), w.query(), w.host(), w.edits(), w.responseMask(),
                    a.cookie(), a.primaryKey(), a.fallbackKey(), a.flags(), a.requestCookies(), false);
            if (w.future().complete(f)) {
                w.cancelTimeout();
            } else {
                f.release(Outcome.ofFailure(Outcome.Failure.CANCELLED, 0));
            }
        }
    }
}
