package dev.switchboard.netty.limit;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one virtual service with {@code acceptProxyProtocol} counted of connections it closed before their PROXY
 * protocol header was read: a peer not in {@code trustedProxies}, a malformed header, a connection that ended
 * before its header, a header that did not come within {@code timeouts.requestHead}. Counted on the event loops,
 * read from anywhere; thread-safe.
 *
 * <pre>{@code
 * long rejected = limiter.proxyProtocol().rejected();
 * }</pre>
 */
public final class ProxyProtocolCounters {

    /** Why a connection was closed before its PROXY protocol header was accepted. */
    public enum Reason {
        /** The peer is not a trusted proxy. */
        UNTRUSTED,
        /** The first bytes are not a valid PROXY v1 or v2 header. */
        MALFORMED,
        /** The connection ended before a whole header came. */
        CLOSED,
        /** No whole header within the listener's {@code timeouts.requestHead}. */
        TIMEOUT;

        /** The name in statistics: {@code untrusted}, {@code malformed}, {@code closed}, {@code timeout}. */
        public String statsName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final LongAdder[] counts = new LongAdder[Reason.values().length];

    ProxyProtocolCounters() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Connections closed for {@code reason}. */
    public long rejected(Reason reason) {
        return counts[reason.ordinal()].sum();
    }

    /** Connections closed before their PROXY protocol header was accepted, for any reason. */
    public long rejected() {
        long sum = 0;
        for (LongAdder c : counts) {
            sum += c.sum();
        }
        return sum;
    }

    /** Counts one connection closed for {@code reason} (called by the proxy). */
    public void count(Reason reason) {
        counts[reason.ordinal()].increment();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ProxyProtocolCounters[");
        for (Reason r : Reason.values()) {
            s.append(r.ordinal() == 0 ? "" : ", ").append(r.statsName()).append('=').append(rejected(r));
        }
        return s.append(']').toString();
    }
}
