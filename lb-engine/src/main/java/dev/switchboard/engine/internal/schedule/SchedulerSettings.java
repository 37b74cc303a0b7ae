package dev.switchboard.engine.internal.schedule;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What the engine gives every built-in scheduler it creates: the random source of its draws (slow start, random,
 * least loaded) and the number of stripes of its round-robin positions.
 *
 * @param random called from every picking thread, without synchronization
 * @param stripes a power of two in {@code 1..}{@value #MAX_STRIPES}: threads pick from {@code threadId & (stripes -
 *                1)}; 1 makes one position shared by every thread (exact round-robin order, the same in every run
 *                whatever thread dispatches)
 */
public record SchedulerSettings(RandomGenerator random, int stripes) {

    /** The most stripes a position has. */
    public static final int MAX_STRIPES = 128;

    /**
     * @throws NullPointerException when {@code random} is null
     * @throws IllegalArgumentException when {@code stripes} is not a power of two in {@code 1..128}
     */
    public SchedulerSettings {
        Objects.requireNonNull(random, "random");
        if (stripes < 1 || stripes > MAX_STRIPES || Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes: " + stripes + " (expected: a power of two in 1.."
                    + MAX_STRIPES + ")");
        }
    }

    /** Each thread's {@code ThreadLocalRandom}, four stripes per processor (8..128). */
    public static SchedulerSettings ofDefaults() {
        return new SchedulerSettings(PerThreadRandom.INSTANCE, StripedCounter.DEFAULT_STRIPES);
    }
}
