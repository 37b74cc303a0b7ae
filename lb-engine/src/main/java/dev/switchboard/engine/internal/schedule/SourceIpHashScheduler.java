package dev.switchboard.engine.internal.schedule;

import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.api.spi.ServerSet;

/**
 * {@link dev.switchboard.api.SchedulingMethod#SOURCE_IP_HASH}: rendezvous (highest random weight) hashing of
 * the client's address hash over the eligible servers.
 *
 * <p>Each eligible server gets a 64-bit value {@code mix(mix(hash) ^ mix(id))} ({@link Mix64}); when all
 * eligible servers have the same effective weight (weight times ramp) the highest value wins (compared
 * unsigned); otherwise the highest score {@code weight / -ln(u)} wins, with {@code u} in (0, 1) taken from the
 * top 52 bits of the value, which gives each server a share proportional to its effective weight. Since
 * {@code u} grows with the value, both rules agree when weights are equal, so switching between them moves no
 * client. A server that leaves moves only the clients it had (about 1/N of them); when it comes back they
 * return to it, and nobody else moves.
 *
 * <p>The common case (equal weights) costs one pass over the pool; unequal weights cost a second pass with one
 * logarithm per eligible server. Stateless after creation, lock-free, allocation-free and thread-safe.
 */
final class SourceIpHashScheduler implements Scheduler {

    private static final double TWO_TO_MINUS_52 = 0x1.0p-52;

    /** {@code Mix64.mix(id(i))}: ids are stable for the life of the pool. */
    private final long[] mixedIds;

    SourceIpHashScheduler(ServerSet servers) {
        int n = servers.size();
        this.mixedIds = new long[n];
        for (int i = 0; i < n; i++) {
            mixedIds[i] = Mix64.mix(servers.id(i));
        }
    }

    @Override
    public int pick(ServerSet servers, long hash) {
        long[] ids = mixedIds;
        int n = Math.min(servers.size(), ids.length);
        long key = Mix64.mix(hash);
        int best = NONE;
        long bestValue = 0;
        long firstWeight = 0;
        boolean equalWeights = true;
        for (int i = 0; i < n; i++) {
            if (!servers.isEligible(i)) {
                continue;
            }
            long weight = SlowStart.effectiveWeight(servers, i);
            if (weight <= 0) {
                continue;
            }
            if (firstWeight == 0) {
                firstWeight = weight;
            } else if (weight != firstWeight) {
                equalWeights = false;
            }
            long value = Mix64.mix(key ^ ids[i]);
            if (best == NONE || Long.compareUnsigned(value, bestValue) > 0) {
                best = i;
                bestValue = value;
            }
        }
        return equalWeights ? best : pickWeighted(servers, key, n);
    }

    /** The second pass when effective weights differ: the highest {@code weight / -ln(u)}. */
    private int pickWeighted(ServerSet servers, long key, int n) {
        long[] ids = mixedIds;
        int best = NONE;
        double bestScore = 0;
        for (int i = 0; i < n; i++) {
            if (!servers.isEligible(i)) {
                continue;
            }
            long weight = SlowStart.effectiveWeight(servers, i);
            if (weight <= 0) {
                continue;
            }
            double score = weight / -Math.log(unitInterval(Mix64.mix(key ^ ids[i])));
            if (best == NONE || score > bestScore) {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }

    /**
     * The top 52 bits of {@code value} as a number strictly between 0 and 1, non-decreasing in {@code value}
     * compared unsigned: {@code (bits + 0.5) / 2^52} (exact in a double, so never 0 and never 1).
     */
    static double unitInterval(long value) {
        return ((value >>> 12) + 0.5) * TWO_TO_MINUS_52;
    }

    @Override
    public String toString() {
        return "source-ip-hash";
    }
}
