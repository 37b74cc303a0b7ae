package dev.switchboard.engine.internal.schedule;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The engine's default random source: every call goes to the calling thread's {@link ThreadLocalRandom}, so that
 * dispatching threads never share a seed. A {@code ThreadLocalRandom} instance must not be kept and used from
 * another thread; this wrapper is what may be kept in a field.
 *
 * <p>Stateless, lock-free, allocation-free and thread-safe.
 */
final class PerThreadRandom implements RandomGenerator {

    static final PerThreadRandom INSTANCE = new PerThreadRandom();

    private PerThreadRandom() {
    }

    @Override
    public long nextLong() {
        return ThreadLocalRandom.current().nextLong();
    }

    @Override
    public int nextInt(int bound) {
        return ThreadLocalRandom.current().nextInt(bound);
    }

    @Override
    public long nextLong(long bound) {
        return ThreadLocalRandom.current().nextLong(bound);
    }

    @Override
    public String toString() {
        return "ThreadLocalRandom";
    }
}
