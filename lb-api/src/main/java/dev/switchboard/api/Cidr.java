package dev.switchboard.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address block, such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}. A bare address is a block
 * of one. Parsing never resolves names. Immutable and thread-safe.
 *
 * <pre>{@code Cidr.parse("192.168.0.0/16").contains(InetAddress.getByName("192.168.4.2")) // true}</pre>
 */
public final class Cidr {

    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private Cidr(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /**
     * Parses {@code address[/prefix]}.
     *
     * @throws IllegalArgumentException naming the value when it is not an IP literal with a prefix in range
     */
    public static Cidr parse(String value) {
        Objects.requireNonNull(value, "value");
        int slash = value.indexOf('/');
        String addr = slash < 0 ? value : value.substring(0, slash);
        byte[] bytes = literal(addr, value);
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = value.substring(slash + 1);
            if (p.length() > 3 || !isAsciiDigits(p)) {
                throw new IllegalArgumentException("cidr: " + value + " (expected: a prefix length 0.." + max + ")");
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                throw new IllegalArgumentException("cidr: " + value + " (expected: a prefix length 0.." + max + ")");
            }
        }
        mask(bytes, prefix);
        return new Cidr(bytes, prefix, value);
    }

    private static byte[] literal(String addr, String whole) {
        if (addr.indexOf(':') < 0) {
            return ipv4(addr, whole);
        }
        if (!addr.matches("[0-9A-Fa-f:.]+")) {
            throw notLiteral(whole);
        }
        try {
            // brackets make the JDK parse it as an IPv6 literal and fail instead of looking the name up
            byte[] bytes = InetAddress.getByName("[" + addr + "]").getAddress();
            if (bytes.length != 16) {
                throw notLiteral(whole); // an IPv4-mapped address, which the JDK turns into IPv4
            }
            return bytes;
        } catch (UnknownHostException e) {
            throw notLiteral(whole);
        }
    }

    private static byte[] ipv4(String addr, String whole) {
        String[] parts = addr.split("\\.", -1);
        if (parts.length != 4) {
            throw notLiteral(whole);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !isAsciiDigits(p) || Integer.parseInt(p) > 255) {
                throw notLiteral(whole);
            }
            bytes[i] = (byte) Integer.parseInt(p);
        }
        return bytes;
    }

    static boolean isAsciiDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static IllegalArgumentException notLiteral(String whole) {
        return new IllegalArgumentException("cidr: " + whole
                + " (expected: an IPv4 or IPv6 literal with an optional prefix, e.g. 10.0.0.0/8)");
    }

    private static void mask(byte[] bytes, int prefix) {
        for (int i = 0; i < bytes.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) (0xFF00 >> bits);
        }
    }

    /** Whether {@code address} lies in this block; an address of the other family never does. */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** Whether the raw address bytes (4 or 16) lie in this block. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefixLength >>> 3;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength & 7;
        if (rest == 0) {
            return true;
        }
        int m = (0xFF00 >> rest) & 0xFF;
        return (address[full] & m) == (network[full] & 0xFF);
    }

    /** The prefix length. */
    public int prefixLength() {
        return prefixLength;
    }

    /** Whether this is an IPv6 block. */
    public boolean isIpv6() {
        return network.length == 16;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        return text;
    }
}
