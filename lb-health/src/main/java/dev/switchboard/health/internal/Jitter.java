package dev.switchboard.health.internal;

import java.util.SplittableRandom;

/**
 * The delay before a target's next probe: its interval spread at random by the check's jitter, uniformly within
 * interval ± jitter × interval (whole nanoseconds), so that checks started together drift apart. A jitter of 0 gives
 * the interval itself. Stateless; thread-safe as far as the caller's {@link SplittableRandom} is (the health loop
 * owns one).
 *
 * <pre>{@code
 * long delay = Jitter.delay(Duration.ofSeconds(2).toNanos(), 0.1, random);   // 1.8 s .. 2.2 s
 * }</pre>
 */
public final class Jitter {

    private Jitter() {
    }

    /**
     * The interval spread by {@code fraction} of it.
     *
     * @param intervalNanos the interval, positive
     * @param fraction the jitter, 0..0.5 (validated by the check's builder)
     * @param random the source of randomness
     * @return a delay in {@code [interval - spread, interval + spread]} where spread is
     *         {@code (long) (intervalNanos * fraction)}
     */
    public static long delay(long intervalNanos, double fraction, SplittableRandom random) {
        long spread = (long) (intervalNanos * fraction);
        return spread == 0 ? intervalNanos : intervalNanos - spread + random.nextLong(2 * spread + 1);
    }
}
