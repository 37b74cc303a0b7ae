package dev.switchboard.api.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The one poll-with-deadline wait of Switchboard's tests, shared through lb-api's test-jar: checks a condition every
 * 2 ms until it holds, and fails with an {@link AssertionError} naming what was awaited once the limit has passed.
 * For something a test cannot be told of (a latch, a future, a listener); a test that can count down a latch should.
 * A wait never passes on time alone: only the condition ends it, so a timeout can make a test fail, never pass.
 *
 * <pre>{@code
 * Eventually.until("s1 DOWN", () -> checker.findHealth("vs", "web", "s1").orElseThrow() == Health.DOWN);
 * }</pre>
 *
 * <p>Thread-safe (no state); the condition runs on the calling thread.
 */
public final class Eventually {

    /** The limit of {@link #until(String, BooleanSupplier)}: generous for a loaded 2-core machine. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(5);

    private static final long POLL_NANOS = 2_000_000L;

    private Eventually() {
    }

    /**
     * Waits up to {@link #DEFAULT_LIMIT} for {@code condition}.
     *
     * @throws AssertionError when it still does not hold after the limit, or the thread is interrupted
     */
    public static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT_LIMIT, condition);
    }

    /**
     * Waits up to {@code limit} for {@code condition}; the condition is checked once more at the deadline.
     *
     * @throws IllegalArgumentException when {@code limit} is not positive
     * @throws AssertionError when it still does not hold after the limit, or the thread is interrupted
     */
    public static void until(String what, Duration limit, BooleanSupplier condition) {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(condition, "condition");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left < 0) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what);
            }
            LockSupport.parkNanos(Math.min(POLL_NANOS, left + 1));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }
}
