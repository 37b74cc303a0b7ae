package dev.switchboard.health.internal;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands probe outcomes to the {@link HealthLoop} thread: at once when they arrive on it (TCP and plain-HTTP probes),
 * else (HTTPS and custom checks, on threads of their own) in batches, applied a fixed delay after the first of the
 * batch arrived, so that the loop wakes at most once per delay for them instead of once per probe (waking another
 * thread costs more than the rest of an outcome's handling). Generic over the group an outcome belongs to, so that
 * this package names no type of the API's. Thread-safe: {@link #deliver} may be called from any thread; the outcomes
 * are applied on the loop thread only.
 *
 * @param <G> the probe group an outcome is for
 */
public final class OutcomeBatch<G> {

    private static final Logger log = LoggerFactory.getLogger(OutcomeBatch.class);

    private record Delivered<G>(G group, ProbeOutcome outcome) {
    }

    private final HealthLoop loop;
    private final long delayNanos;
    private final BiConsumer<G, ProbeOutcome> apply;
    private final Queue<Delivered<G>> delivered = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final HealthLoop.Timer drain = new HealthLoop.Timer() {
        @Override
        protected void fire(long now) {
            drain();
        }
    };

    /** Applies each outcome with {@code apply} on {@code loop}'s thread, batched by {@code delayNanos}. */
    public OutcomeBatch(HealthLoop loop, long delayNanos, BiConsumer<G, ProbeOutcome> apply) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.delayNanos = delayNanos;
        this.apply = Objects.requireNonNull(apply, "apply");
    }

    /** Applies {@code outcome} at once when called on the loop thread, else with the next batch. */
    public void deliver(G group, ProbeOutcome outcome) {
        if (loop.inLoop()) {
            apply.accept(group, outcome);
            return;
        }
        delivered.add(new Delivered<>(group, outcome));
        if (draining.compareAndSet(false, true)) {
            try {
                loop.execute(() -> loop.schedule(drain, delayNanos));
            } catch (RejectedExecutionException e) {
                log.debug("health checker closed, outcome dropped");
            }
        }
    }

    private void drain() {
        draining.set(false);
        for (Delivered<G> d; (d = delivered.poll()) != null; ) {
            apply.accept(d.group(), d.outcome());
        }
    }
}
