package dev.switchboard.benchmarks.persistence;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The data of the persistence benchmarks, drawn from a fixed seed: {@code count} distinct source-IP keys (random
 * IPv4 addresses as longs, the way the source-IP strategy keys a /32), each mapped to one of 16 server ids
 * (random non-zero longs), a lookup sequence of keys drawn uniformly from all of them, and a sequence of as many
 * keys that are not among them (misses). Immutable after construction; the arrays are shared, not copied.
 */
final class PersistenceEntries {

    static final int SERVERS = 16;

    /** The keys, distinct. */
    final long[] keys;
    /** The server id of {@code keys[i]}. */
    final long[] servers;
    /** Keys to look up, in order; every one is in {@link #keys}. Its length is a power of two. */
    final long[] lookups;
    /** Keys to look up that are not in {@link #keys} (distinct from each other is not required), as long. */
    final long[] misses;

    private PersistenceEntries(long[] keys, long[] servers, long[] lookups, long[] misses) {
        this.keys = keys;
        this.servers = servers;
        this.lookups = lookups;
        this.misses = misses;
    }

    /**
     * @param count the number of keys
     * @param lookupBits log2 of the length of the lookup sequence and of the miss sequence
     * @param seed the seed of every draw
     */
    static PersistenceEntries generate(int count, int lookupBits, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] serverIds = new long[SERVERS];
        for (int s = 0; s < SERVERS; s++) {
            serverIds[s] = random.nextLong(1, Long.MAX_VALUE);
        }
        Set<Long> seen = new HashSet<>(count * 2);
        long[] keys = new long[count];
        long[] servers = new long[count];
        for (int i = 0; i < count; i++) {
            long key;
            do {
                key = random.nextLong(1L << 32);
            } while (!seen.add(key));
            keys[i] = key;
            servers[i] = serverIds[random.nextInt(SERVERS)];
        }
        long[] lookups = new long[1 << lookupBits];
        for (int j = 0; j < lookups.length; j++) {
            lookups[j] = keys[random.nextInt(count)];
        }
        long[] misses = new long[1 << lookupBits];
        for (int j = 0; j < misses.length; j++) {
            long key;
            do {
                key = random.nextLong(1L << 32);
            } while (seen.contains(key));
            misses[j] = key;
        }
        return new PersistenceEntries(keys, servers, lookups, misses);
    }

    int size() {
        return keys.length;
    }
}
