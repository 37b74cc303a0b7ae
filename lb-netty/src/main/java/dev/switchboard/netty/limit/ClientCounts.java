package dev.switchboard.netty.limit;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many slots (connections, or requests in flight behind a trusted proxy) each client address holds, with a
 * ceiling per address. Lock-free: each address has an atomic count that is raised by compare-and-set below the
 * ceiling; the count that drops to zero is retired ({@code 0 -> -1}, so that no one raises it again) and removed
 * from the map, and a caller that finds a retired count helps remove it and starts over. An address is in the map
 * only while it holds a slot (or for the instant between its retirement and its removal), so a flood of distinct
 * addresses never holds more entries than the slots that are held. Thread-safe.
 *
 * <pre>{@code
 * ClientCounts counts = new ClientCounts();
 * if (counts.tryAcquire(client, 8)) {
 *     try { ... } finally { counts.release(client); }
 * }
 * }</pre>
 */
final class ClientCounts {

    private static final int RETIRED = -1;

    private final ConcurrentHashMap<InetAddress, AtomicInteger> counts = new ConcurrentHashMap<>();

    /**
     * Takes a slot for {@code client} unless it already holds {@code max} (at least 1). Every {@code true} must be
     * followed by exactly one {@link #release} of the same address.
     */
    boolean tryAcquire(InetAddress client, int max) {
        while (true) {
            AtomicInteger count = counts.get(client);
            if (count == null) {
                if (counts.putIfAbsent(client, new AtomicInteger(1)) == null) {
                    return true;
                }
                continue;
            }
            int n = count.get();
            if (n == RETIRED) {
                counts.remove(client, count); // help the releaser that retired it
                continue;
            }
            if (n >= max) {
                return false;
            }
            if (count.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot taken by {@link #tryAcquire}. */
    void release(InetAddress client) {
        AtomicInteger count = counts.get(client); // present and live: the caller's slot keeps it above zero
        if (count == null) {
            throw new IllegalStateException("release without a slot: " + client.getHostAddress());
        }
        if (count.decrementAndGet() == 0 && count.compareAndSet(0, RETIRED)) {
            counts.remove(client, count);
        }
    }

    /** The slots {@code client} holds now. */
    int held(InetAddress client) {
        AtomicInteger count = counts.get(client);
        return count == null ? 0 : Math.max(0, count.get());
    }

    /** How many addresses hold at least one slot now (retired entries not yet removed included). */
    int addresses() {
        return counts.size();
    }
}
