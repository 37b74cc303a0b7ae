package dev.switchboard.netty.limit;

import dev.switchboard.netty.settings.ListenerSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway-wide cap on client connections held by the proxy listeners (http, https and tcp virtual services
 * alike), so that file descriptors never run out and the admin listener, which is not counted, always stays
 * reachable. Above the cap a proxy listener closes a new connection at accept. The cap is derived from the
 * process's file-descriptor limit ({@link #ofDescriptorLimit()}): each proxied connection costs two descriptors
 * (client and real server), and {@link #reserve(long)} descriptors are kept back for pooled keep-alive
 * connections to real servers, health probes, listeners, the admin API, log files and the JVM itself.
 *
 * <p>It also knows the {@link ConnectionLimiter} of each virtual service, for {@code /api/stats}.
 *
 * <p>Thread-safe and lock-free: one atomic count, raised by compare-and-set below the cap.
 *
 * <pre>{@code
 * NettyTransport transport = NettyTransport.create(4, true, ConnectionBudget.of(10_000));
 * ConnectionLimiter limiter = transport.connectionBudget().limiter(settings);
 * }</pre>
 */
public final class ConnectionBudget {

    /** Descriptors always kept back, besides one sixteenth of the limit ({@link #reserve(long)}). */
    public static final int MIN_RESERVE = 64;

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionBudget.class);

    private final int cap;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, ConnectionLimiter> limiters = new ConcurrentHashMap<>();

    private ConnectionBudget(int cap) {
        this.cap = cap;
    }

    /**
     * A budget of exactly {@code cap} connections (tests, or an operator's explicit choice).
     *
     * @throws IllegalArgumentException when {@code cap} is negative
     */
    public static ConnectionBudget of(int cap) {
        if (cap < 0) {
            throw new IllegalArgumentException("cap: " + cap + " (expected: >= 0)");
        }
        return new ConnectionBudget(cap);
    }

    /** No cap (where the descriptor limit cannot be read). */
    public static ConnectionBudget unlimited() {
        return new ConnectionBudget(Integer.MAX_VALUE);
    }

    /**
     * The cap {@link #capFor(long)} of this process's file-descriptor limit, logged at INFO; unlimited (with an INFO
     * line saying so) where the JVM cannot tell the limit (not a Unix-like system).
     */
    public static ConnectionBudget ofDescriptorLimit() {
        long limit = descriptorLimit();
        if (limit <= 0) {
            LOG.info("gateway connection cap: none (the file-descriptor limit is not known on this system)");
            return unlimited();
        }
        ConnectionBudget budget = new ConnectionBudget(capFor(limit));
        if (budget.cap == 0) {
            LOG.warn("gateway connection cap 0: the file-descriptor limit {} leaves nothing after the {} kept back;"
                    + " every proxied connection is refused (raise ulimit -n)", limit, reserve(limit));
        } else {
            LOG.info("gateway connection cap {}: file-descriptor limit {}, two per proxied connection, {} kept back"
                    + " for pooled connections, health probes, listeners and the admin API", budget.cap, limit,
                    reserve(limit));
        }
        return budget;
    }

    /** The process's file-descriptor limit, or 0 when the JVM cannot tell. */
    static long descriptorLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return 0;
    }

    /** Descriptors kept back from the proxied connections: {@value #MIN_RESERVE} plus one sixteenth. */
    public static long reserve(long descriptorLimit) {
        return MIN_RESERVE + descriptorLimit / 16;
    }

    /** {@code (descriptorLimit - reserve) / 2}, at least 0 and at most {@link Integer#MAX_VALUE}. */
    public static int capFor(long descriptorLimit) {
        long cap = (descriptorLimit - reserve(descriptorLimit)) / 2;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, cap));
    }

    /** The most client connections the proxy listeners may hold together. */
    public int cap() {
        return cap;
    }

    /** Client connections the proxy listeners hold now (refused ones still waiting for their answer included). */
    public int open() {
        return open.get();
    }

    /** Takes one connection below the cap; {@code false} when the cap is reached. */
    boolean tryAcquire() {
        while (true) {
            int n = open.get();
            if (n >= cap) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back one connection taken by {@link #tryAcquire}. */
    void release() {
        open.decrementAndGet();
    }

    /**
     * A new limiter for the listener of {@code settings}, on this budget, known under its virtual service's name
     * until it is {@linkplain ConnectionLimiter#close() closed} (a listener bound again for the same name replaces
     * it).
     */
    public ConnectionLimiter limiter(ListenerSettings settings) {
        ConnectionLimiter limiter = new ConnectionLimiter(this, settings);
        limiters.put(settings.virtualService(), limiter);
        return limiter;
    }

    void unregister(ConnectionLimiter limiter) {
        limiters.remove(limiter.virtualService(), limiter);
    }

    /** The limiter of the listener of virtual service {@code name}, while it is bound. */
    public Optional<ConnectionLimiter> findLimiter(String name) {
        return Optional.ofNullable(limiters.get(name));
    }

    /** Every bound listener's limiter, in no particular order. */
    public List<ConnectionLimiter> limiters() {
        return List.copyOf(limiters.values());
    }

    @Override
    public String toString() {
        return "ConnectionBudget[" + open.get() + "/" + (cap == Integer.MAX_VALUE ? "unlimited" : cap) + "]";
    }
}
