package dev.switchboard.netty;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The client's address and port on an accepted connection: the address a trusted proxy's PROXY protocol header
 * carried (a virtual service with {@code acceptProxyProtocol}), else the TCP peer. Everything after the PROXY
 * protocol reader (content rules' {@code source}, source-IP persistence and hashing, the access log,
 * {@code X-Forwarded-For}, per-client request counts, the header sent on to real servers) reads the client through
 * this one accessor, never through {@link Channel#remoteAddress()}.
 *
 * <pre>{@code
 * InetSocketAddress client = ClientAddress.findRemote(channel).orElseThrow();
 * }</pre>
 *
 * <p>Stateless; the value lives in a channel attribute, set once on the channel's event loop before the rest of the
 * pipeline sees the connection as active. Thread-safe.
 */
public final class ClientAddress {

    private static final AttributeKey<InetSocketAddress> CARRIED =
            AttributeKey.valueOf(ClientAddress.class, "carried");

    private ClientAddress() {
    }

    /**
     * The client of {@code channel}: the address a PROXY protocol header carried, else the TCP peer; empty for a
     * channel that is not an IP socket (an embedded or local channel) or has no peer yet.
     */
    public static Optional<InetSocketAddress> findRemote(Channel channel) {
        InetSocketAddress carried = channel.attr(CARRIED).get();
        if (carried != null) {
            return Optional.of(carried);
        }
        return channel.remoteAddress() instanceof InetSocketAddress peer ? Optional.of(peer) : Optional.empty();
    }

    /** Whether the client of {@code channel} came in a PROXY protocol header (rather than being the TCP peer). */
    public static boolean isCarried(Channel channel) {
        return channel.attr(CARRIED).get() != null;
    }

    /**
     * Records the client a PROXY protocol header carried on {@code channel} (the reader of the header calls it,
     * before it lets the connection go on); later calls of {@link #findRemote} return it.
     */
    public static void carried(Channel channel, InetSocketAddress client) {
        channel.attr(CARRIED).set(Objects.requireNonNull(client, "client"));
    }
}
