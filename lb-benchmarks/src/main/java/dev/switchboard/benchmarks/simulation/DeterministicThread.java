package dev.switchboard.benchmarks.simulation;

import java.lang.reflect.Field;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a simulation so that the engine's own choices repeat from one run to the next. Two things in the engine are
 * not injectable today, so this class pins them from the outside:
 * <ul>
 *   <li>the random draws of the weighted-random, least-loaded and slow-start code come from
 *       {@code ThreadLocalRandom}, whose per-thread seed is taken from the clock and whose step (on Java 17) adds
 *       twice the thread id: the task runs on a new thread whose {@code ThreadLocalRandom} seed is set from
 *       {@code seed} (through {@code sun.misc.Unsafe}, writing the two fields of {@code Thread} that
 *       {@code ThreadLocalRandom} itself keeps its state in);</li>
 *   <li>the round-robin position is striped by thread id.</li>
 * </ul>
 * For both, the thread reports a fixed id ({@link #ID}; {@code Thread.getId()} is overridable on Java 17), so the
 * draws and the stripe are the same in every run, whatever ran before in the JVM. (Java 17, the project's
 * release, is what this is written for: from Java 19 on {@code ThreadLocalRandom} and {@code Thread.threadId()}
 * no longer go through the overridable {@code getId()}, and {@code BalanceQualityTest}'s determinism check would
 * say so.)
 * This is a workaround for a benchmark harness, not something for production code: the engine should take a
 * random source (as it takes a {@code Ticker}) and a stripe hint; then this class goes away.
 *
 * <p>Thread-safe: each call runs on its own new thread.
 */
final class DeterministicThread {

    /** The id the simulation thread reports: stripe 0, and a fixed {@code ThreadLocalRandom} step. */
    static final long ID = 0;

    private DeterministicThread() {
    }

    /**
     * Runs {@code task} on a new thread seeded from {@code seed} and waits for it.
     *
     * @throws IllegalStateException when the thread's random state cannot be set on this JVM, or the task throws
     */
    static <T> T call(long seed, Callable<T> task) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable body = () -> {
            try {
                seedThreadLocalRandom(seed);
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
        @SuppressWarnings("deprecation") // getId(), not final on Java 17, is what ThreadLocalRandom calls
        public long getId() {
            return ID;
        }
    }

    /** Sets the current thread's {@code ThreadLocalRandom} state as its first use would, from {@code seed}. */
    private static void seedThreadLocalRandom(long seed) throws ReflectiveOperationException {
        Field theUnsafe = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        sun.misc.Unsafe unsafe = (sun.misc.Unsafe) theUnsafe.get(null);
        long seedOffset = unsafe.objectFieldOffset(Thread.class.getDeclaredField("threadLocalRandomSeed"));
        long probeOffset = unsafe.objectFieldOffset(Thread.class.getDeclaredField("threadLocalRandomProbe"));
        Thread current = Thread.currentThread();
        unsafe.putLong(current, seedOffset, seed);
        unsafe.putInt(current, probeOffset, 0x9E3779B9 | 1); // non-zero: ThreadLocalRandom.current() keeps the seed
    }
}
