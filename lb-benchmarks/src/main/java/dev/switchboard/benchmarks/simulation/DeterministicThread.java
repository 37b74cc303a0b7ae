package dev.switchboard.benchmarks.simulation;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a simulation so that the engine's round-robin position starts at the same place in every run. The engine's
 * random draws are injected (the simulation gives its builder a random source split from the scenario's seed); the
 * one thing still taken from the thread is the stripe of the round-robin counters (the low bits of the thread id,
 * each stripe starting at its own offset of the pool), so the task runs on a new thread that reports a fixed id
 * ({@link #ID}, stripe 0; {@code Thread.getId()} is overridable on Java 17, the project's release). From Java 19
 * on the counters read the final {@code Thread.threadId()}, and {@code BalanceQualityTest}'s determinism check
 * would say so; the way out is a stripe hint on the engine's builder.
 *
 * <p>Thread-safe: each call runs on its own new thread.
 */
final class DeterministicThread {

    /** The id the simulation thread reports: stripe 0, whose round-robin offset is 0. */
    static final long ID = 0;

    private DeterministicThread() {
    }

    /**
     * Runs {@code task} on a new thread with the fixed id and waits for it.
     *
     * @throws IllegalStateException when the task throws or the wait is interrupted
     */
    static <T> T call(Callable<T> task) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable body = () -> {
            try {
                result.set(task.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        };
        Thread thread = new FixedIdThread(body);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the simulation ran", e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("simulation failed: " + failure.get(), failure.get());
        }
        return result.get();
    }

    /** A thread that reports {@link #ID} as its id to the code it runs (the JVM still knows its real one). */
    private static final class FixedIdThread extends Thread {
        FixedIdThread(Runnable body) {
            super(body, "balance-simulation");
        }

        @Override
        @SuppressWarnings("deprecation") // getId(), not final on Java 17, is what the striped counters call
        public long getId() {
            return ID;
        }
    }
}
