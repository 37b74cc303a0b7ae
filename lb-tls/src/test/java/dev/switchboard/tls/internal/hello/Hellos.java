package dev.switchboard.tls.internal.hello;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds hello vectors byte by byte, in the wire format of RFC 8446 / RFC 5246. Test code. */
final class Hellos {

    static final byte[] RANDOM = sequence(32, 0x10);
    static final byte[] SESSION_ID = sequence(32, 0xa0);

    private Hellos() {
    }

    static byte[] sequence(int n, int start) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] u8(int v) {
        return new byte[] {(byte) v};
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    static byte[] u24(int v) {
        return new byte[] {(byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static byte[] u16s(int... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int v : values) {
            out.writeBytes(u16(v));
        }
        return out.toByteArray();
    }

    static byte[] vector8(byte[] content) {
        return concat(u8(content.length), content);
    }

    static byte[] vector16(byte[] content) {
        return concat(u16(content.length), content);
    }

    static byte[] ext(int type, byte[] data) {
        return concat(u16(type), vector16(data));
    }

    static byte[] sni(String host) {
        byte[] name = host.getBytes(StandardCharsets.ISO_8859_1);
        return ext(0, vector16(concat(u8(0), vector16(name))));
    }

    static byte[] alpn(String... protocols) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (String p : protocols) {
            list.writeBytes(vector8(p.getBytes(StandardCharsets.ISO_8859_1)));
        }
        return ext(16, vector16(list.toByteArray()));
    }

    static byte[] supportedVersions(int... versions) {
        return ext(43, vector8(u16s(versions)));
    }

    static byte[] clientHelloBody(int version, byte[] sessionId, int[] suites, byte[]... extensions) {
        byte[] base = concat(u16(version), RANDOM, vector8(sessionId), vector16(u16s(suites)), vector8(u8(0)));
        return extensions.length == 0 ? base : concat(base, vector16(concat(extensions)));
    }

    static byte[] handshake(int type, byte[] body) {
        return concat(u8(type), u24(body.length), body);
    }

    /** {@code message} in records of at most {@code size} bytes each. */
    static byte[] records(byte[] message, int size) {
        List<Integer> sizes = new ArrayList<>();
        for (int left = message.length; left > 0; left -= size) {
            sizes.add(Math.min(size, left));
        }
        return records(message, sizes.stream().mapToInt(Integer::intValue).toArray());
    }

    /** {@code message} split into records of exactly the given fragment sizes (which must add up). */
    static byte[] records(byte[] message, int... fragmentSizes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        for (int size : fragmentSizes) {
            out.writeBytes(concat(u8(22), u16(0x0301), u16(size), Arrays.copyOfRange(message, at, at + size)));
            at += size;
        }
        if (at != message.length) {
            throw new IllegalArgumentException("fragments cover " + at + " of " + message.length + " bytes");
        }
        return out.toByteArray();
    }

    /** One record holding the whole message. */
    static byte[] record(byte[] message) {
        return records(message, message.length);
    }

    /** A TLS 1.2 ClientHello (resumption attempt) with SNI, groups, point formats, signature algorithms, ALPN. */
    static byte[] tls12ClientHello(String serverName) {
        return handshake(1, clientHelloBody(0x0303, SESSION_ID, new int[] {0xc02b, 0xc02f, 0x009c},
                sni(serverName),
                ext(11, vector8(u8(0))),
                ext(10, vector16(u16s(0x001d, 0x0017))),
                ext(13, vector16(u16s(0x0403, 0x0804, 0x0401))),
                alpn("h2", "http/1.1")));
    }

    /** A TLS 1.3 ClientHello as Chrome sends it: GREASE suite, extensions, version, group and ALPN. */
    static byte[] tls13GreaseClientHello(String serverName) {
        byte[] keyShare = vector16(concat(u16(0x3a3a), vector16(u8(0)), u16(0x001d), vector16(sequence(32, 1))));
        return handshake(1, clientHelloBody(0x0303, SESSION_ID, new int[] {0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b},
                ext(0x1a1a, new byte[0]),
                sni(serverName),
                ext(23, new byte[0]),
                ext(10, vector16(u16s(0x3a3a, 0x001d, 0x0017))),
                alpn("h2", "http/1.1"),
                ext(16 + 0x1000, new byte[] {1, 2, 3}),
                supportedVersions(0x2a2a, 0x0304, 0x0303),
                ext(45, vector8(u8(1))),
                ext(51, keyShare),
                ext(0xfafa, u8(0))));
    }

    static byte[] serverHelloBody(int version, byte[] random, byte[] sessionId, int suite, byte[]... extensions) {
        byte[] base = concat(u16(version), random, vector8(sessionId), u16(suite), u8(0));
        return extensions.length == 0 ? base : concat(base, vector16(concat(extensions)));
    }
}
