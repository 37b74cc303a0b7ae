package dev.switchboard.netty.internal.proxyprotocol;

import dev.switchboard.api.ProxyProtocol;
import dev.switchboard.netty.ClientAddress;
import io.netty.channel.Channel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The PROXY protocol header to open one connection to a real server with: the version, the client (the address a
 * trusted PROXY header gave, else the TCP peer) and the gateway's local address on the client's connection. A value
 * (equal headers mean the same client), so the upstream pool keys idle connections by it: a connection opened with
 * one client's header never carries another client's requests. Immutable.
 *
 * @param version     {@link ProxyProtocol#V1} or {@link ProxyProtocol#V2}
 * @param source      the client
 * @param destination the gateway's address the client connected to
 */
public record ProxyHeader(ProxyProtocol version, InetSocketAddress source, InetSocketAddress destination) {

    public ProxyHeader {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        if (version == ProxyProtocol.NONE) {
            throw new IllegalArgumentException("version: none (expected: v1 or v2)");
        }
    }

    /**
     * The header for a connection made on behalf of {@code client}: empty when {@code version} is
     * {@link ProxyProtocol#NONE} or the client channel has no IP addresses (closed already, or not a socket).
     */
    public static Optional<ProxyHeader> find(ProxyProtocol version, Channel client) {
        if (version == ProxyProtocol.NONE) {
            return Optional.empty();
        }
        Optional<InetSocketAddress> source = ClientAddress.findRemote(client);
        if (source.isEmpty() || !(client.localAddress() instanceof InetSocketAddress local)) {
            return Optional.empty();
        }
        return Optional.of(new ProxyHeader(version, source.get(), local));
    }

    /**
     * The message for Netty's {@code HAProxyMessageEncoder}: command {@code PROXY} over {@code TCP4} when both
     * addresses are IPv4, else {@code TCP6} (an IPv4 address among IPv6 ones is written IPv4-mapped). The caller
     * releases it (the encoder does when it writes it).
     */
    public HAProxyMessage toMessage() {
        InetAddress src = source.getAddress();
        InetAddress dst = destination.getAddress();
        boolean v4 = src instanceof Inet4Address && dst instanceof Inet4Address;
        return new HAProxyMessage(version == ProxyProtocol.V1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2,
                HAProxyCommand.PROXY, v4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
                text(src, v4), text(dst, v4), source.getPort(), destination.getPort());
    }

    private static String text(InetAddress address, boolean v4) {
        String text = address.getHostAddress();
        if (address instanceof Inet4Address) {
            return v4 ? text : "::ffff:" + text;
        }
        int scope = text.indexOf('%');
        return scope < 0 ? text : text.substring(0, scope);
    }
}
