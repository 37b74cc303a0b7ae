package dev.switchboard.engine.internal.schedule;

/**
 * A 64-bit mixer: the SplitMix64 step (add the golden gamma, then the variant-13 finalizer of Stafford, as in
 * {@link java.util.SplittableRandom}). Every input bit affects every output bit with probability about one
 * half, and 0 does not map to 0. A bijection. Stateless and thread-safe.
 */
final class Mix64 {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Mix64() {
    }

    /** The mixed value of {@code x}. */
    static long mix(long x) {
        long z = x + GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
