package dev.switchboard.engine.internal.schedule;

import dev.switchboard.api.spi.ServerSet;
import java.util.random.RandomGenerator;

/**
 * How the schedulers apply slow start ({@link ServerSet#rampPermille(int)}) and weights. Out-of-contract
 * values are clamped rather than thrown: a ramp below 1 counts as 1 and above 1000 as 1000, a weight below 0
 * as 0 and above {@link #MAX_WEIGHT} as {@code MAX_WEIGHT}, so that every product used in a comparison fits a
 * {@code long}. Stateless and thread-safe.
 */
final class SlowStart {

    /** The ramp of a server at full weight. */
    static final int FULL = ServerSet.FULL_RAMP;

    /**
     * The largest weight taken as is (2^22). With it an effective weight stays below 2^32 and
     * {@code (active + 1) * effectiveWeight} below 2^63.
     */
    static final int MAX_WEIGHT = 1 << 22;

    private SlowStart() {
    }

    /** The ramp of server {@code i}, clamped to {@code 1..1000}. */
    static int permille(ServerSet servers, int i) {
        int ramp = servers.rampPermille(i);
        return ramp >= FULL ? FULL : Math.max(ramp, 1);
    }

    /**
     * Whether a slot of a server with this ramp is taken: always at full ramp, otherwise with probability
     * {@code ramp / 1000} (drawn from {@code random}, the engine's injected source), so that the server gets that
     * share of its slots. {@code random} is not touched at full ramp.
     */
    static boolean admits(int ramp, RandomGenerator random) {
        return ramp >= FULL || random.nextInt(FULL) < Math.max(ramp, 1);
    }

    /** The configured weight of server {@code i}, clamped to {@code 0..MAX_WEIGHT}. */
    static int weight(ServerSet servers, int i) {
        int weight = servers.weight(i);
        return weight <= 0 ? 0 : Math.min(weight, MAX_WEIGHT);
    }

    /** {@code weight * ramp}, below 2^32; 0 for a server of weight 0. */
    static long effectiveWeight(ServerSet servers, int i) {
        int weight = weight(servers, i);
        return weight == 0 ? 0 : (long) weight * permille(servers, i);
    }
}
