package dev.switchboard.health.internal;

import dev.switchboard.api.ProxyProtocol;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The PROXY protocol header a health probe opens its connection with, when the real server's traffic carries one
 * (HAProxy's {@code proxy-protocol.txt}), written here without Netty (lb-health depends on lb-api only; the
 * gateway's own headers come from Netty's HAProxy codec in lb-netty). What is sent is what HAProxy sends with its
 * checks of a {@code send-proxy} / {@code send-proxy-v2} server:
 * <ul>
 *   <li>version 1: the probe connection's own endpoints, {@code PROXY TCP4 <probe's local address> <server's address>
 *       <local port> <server port>\r\n} ({@code TCP6} when either end is IPv6, an IPv4 end then written as an
 *       IPv4-mapped IPv6 address);</li>
 *   <li>version 2: the {@code LOCAL} command with no address block (16 bytes: the signature, {@code 0x20},
 *       {@code 0x00}, length 0), which the spec reserves for connections "established on purpose by the proxy
 *       without being relayed", naming health checks; the server keeps the connection's real endpoints.</li>
 * </ul>
 * Stateless and thread-safe.
 *
 * <pre>{@code
 * byte[] header = ProbeProxyHeader.of(ProxyProtocol.V1, local, remote); // PROXY TCP4 10.0.0.1 10.0.0.11 40112 443\r\n
 * }</pre>
 */
public final class ProbeProxyHeader {

    /** The 12 bytes every version 2 header starts with. */
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** Version 2 (high nibble), command LOCAL (low nibble 0). */
    private static final byte V2_LOCAL = 0x20;
    /** Address family and transport unspecified. */
    private static final byte UNSPEC = 0x00;
    private static final byte[] V2_LOCAL_HEADER = v2Local();

    private ProbeProxyHeader() {
    }

    /**
     * The header of a probe connection from {@code local} to {@code remote} (both resolved, as the connected socket
     * reports them).
     *
     * @throws IllegalArgumentException for {@link ProxyProtocol#NONE} (no header is sent) or an unresolved address
     */
    public static byte[] of(ProxyProtocol version, InetSocketAddress local, InetSocketAddress remote) {
        return switch (version) {
            case V1 -> v1(local, remote);
            case V2 -> V2_LOCAL_HEADER.clone();
            case NONE -> throw new IllegalArgumentException("proxyProtocol: none (expected: v1 or v2)");
        };
    }

    /** {@code PROXY TCP4|TCP6 <source> <destination> <source port> <destination port>\r\n}, US-ASCII. */
    static byte[] v1(InetSocketAddress source, InetSocketAddress destination) {
        InetAddress s = address(source, "source");
        InetAddress d = address(destination, "destination");
        boolean ipv4 = s instanceof Inet4Address && d instanceof Inet4Address;
        String line = "PROXY " + (ipv4 ? "TCP4 " : "TCP6 ") + text(s, ipv4) + ' ' + text(d, ipv4) + ' '
                + source.getPort() + ' ' + destination.getPort() + "\r\n";
        return line.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] v2Local() {
        byte[] h = new byte[16];
        System.arraycopy(V2_SIGNATURE, 0, h, 0, V2_SIGNATURE.length);
        h[12] = V2_LOCAL;
        h[13] = UNSPEC;
        // bytes 14 and 15: the length of what follows, 0
        return h;
    }

    private static InetAddress address(InetSocketAddress a, String which) {
        if (a.isUnresolved() || a.getAddress() == null) {
            throw new IllegalArgumentException(which + ": " + a + " (expected: a resolved IP address)");
        }
        return a.getAddress();
    }

    /** The address in the spec's text form: dotted quad, or IPv6 hex (an IPv4 address mapped in a TCP6 line). */
    private static String text(InetAddress a, boolean ipv4) {
        if (ipv4) {
            return a.getHostAddress();
        }
        if (a instanceof Inet6Address v6) {
            String s = v6.getHostAddress();
            int scope = s.indexOf('%');
            return scope < 0 ? s : s.substring(0, scope); // a scope ID is local to this host: not on the wire
        }
        return "::ffff:" + a.getHostAddress();
    }
}
