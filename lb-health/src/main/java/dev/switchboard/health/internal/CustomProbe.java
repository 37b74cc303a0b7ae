package dev.switchboard.health.internal;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.ProxyProtocol;
import dev.switchboard.api.spi.CheckResult;
import dev.switchboard.api.spi.CustomCheck;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs {@link CustomCheck}s: each call is made on one daemon thread of its own (started at the first custom probe),
 * never on the checker's loop, so a check that blocks delays only other custom checks; the timeout is enforced
 * from the loop whatever the check does. A check that throws, returns null, or completes exceptionally or with
 * null is a failure with that reason; at most {@value #MAX_QUEUED} calls wait for the thread, so one that blocks for
 * good makes later custom probes fail at once instead of piling up. Thread-safe.
 */
public final class CustomProbe implements Probe {

    /** Calls that may wait for the thread: beyond this (a check blocks it), probes fail at once. */
    static final int MAX_QUEUED = 256;

    private final HealthLoop loop;
    private volatile ExecutorService caller;
    private volatile boolean closed;

    public CustomProbe(HealthLoop loop) {
        this.loop = loop;
    }

    private synchronized ExecutorService caller() {
        if (caller == null) {
            caller = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_QUEUED), r -> {
                Thread t = new Thread(r, "switchboard-health-custom");
                t.setDaemon(true);
                return t;
            });
            if (closed) {
                caller.shutdownNow();
            }
        }
        return caller;
    }

    /** Runs the custom check; {@code proxyProtocol} is ignored: the check opens its connections itself. */
    @Override
    public void probe(Address address, HealthCheck check, ProxyProtocol proxyProtocol,
            Consumer<ProbeOutcome> callback) {
        long start = System.nanoTime();
        AtomicBoolean done = new AtomicBoolean();
        String name = "custom check '" + check.customName() + "'";
        Consumer<ProbeOutcome> once = outcome -> {
            if (done.compareAndSet(false, true)) {
                callback.accept(outcome);
            }
        };
        HealthLoop.Timer timeout = loop.schedule(() -> once.accept(ProbeOutcome.failed(
                "timeout (" + name + ")", System.nanoTime() - start)), check.timeout().toNanos());
        try {
            caller().execute(() -> call(check.customCheck(), address, name, start, outcome -> {
                timeout.cancel();
                once.accept(outcome);
            }));
        } catch (RejectedExecutionException e) {
            once.accept(ProbeOutcome.failed(closed ? name + ": checker closed"
                    : name + ": not run, custom checks are backed up (a custom check blocks its thread)", 0));
        }
    }

    private static void call(CustomCheck check, Address address, String name, long start,
            Consumer<ProbeOutcome> done) {
        CompletionStage<CheckResult> stage;
        try {
            stage = check.check(address);
        } catch (RuntimeException | Error e) {
            if (e instanceof OutOfMemoryError oom) {
                throw oom;
            }
            done.accept(ProbeOutcome.failed(name + " threw " + e, System.nanoTime() - start));
            return;
        }
        if (stage == null) {
            done.accept(ProbeOutcome.failed(name + " returned null", System.nanoTime() - start));
            return;
        }
        stage.whenComplete((result, error) -> {
            long latency = System.nanoTime() - start;
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            if (cause != null) {
                done.accept(ProbeOutcome.failed(name + " failed: " + cause, latency));
            } else if (result == null) {
                done.accept(ProbeOutcome.failed(name + " completed with null", latency));
            } else {
                done.accept(new ProbeOutcome(result.success(), result.reason(), latency, 0,
                        java.util.Optional.empty()));
            }
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (caller != null) {
            caller.shutdownNow();
        }
    }
}
