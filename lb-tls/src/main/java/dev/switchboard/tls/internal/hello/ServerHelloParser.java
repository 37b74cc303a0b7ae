package dev.switchboard.tls.internal.hello;

import java.nio.charset.StandardCharsets;

/**
 * The body of a ServerHello (RFC 8446 4.1.3): version, random (which marks a HelloRetryRequest), session ID,
 * cipher suite, compression, and of the extensions supported_versions and ALPN. Stateless.
 */
final class ServerHelloParser {

    /** SHA-256("HelloRetryRequest"), the random of a HelloRetryRequest. */
    private static final byte[] HRR_RANDOM = {
        (byte) 0xCF, 0x21, (byte) 0xAD, 0x74, (byte) 0xE5, (byte) 0x9A, 0x61, 0x11, (byte) 0xBE, 0x1D, (byte) 0x8C,
        0x02, 0x1E, 0x65, (byte) 0xB8, (byte) 0x91, (byte) 0xC2, (byte) 0xA2, 0x11, 0x16, 0x7A, (byte) 0xBB,
        (byte) 0x8C, 0x5E, 0x07, (byte) 0x9E, 0x09, (byte) 0xE2, (byte) 0xC8, (byte) 0xA8, 0x33, (byte) 0x9C};

    private ServerHelloParser() {
    }

    static <R> R parse(HelloReader r, int consumed, HelloResults<R> results) {
        int version = r.u16();
        int randomStart = r.position();
        if (version < 0 || !r.skip(32)) {
            return malformed(results, "truncated before the end of the random");
        }
        if ((version >>> 8) != 3) {
            return malformed(results, "server version 0x" + Integer.toHexString(version) + " is not TLS");
        }
        boolean retry = java.util.Arrays.equals(r.buffer(), randomStart, randomStart + 32, HRR_RANDOM, 0, 32);
        String sessionId = r.sessionId();
        if (sessionId == null) {
            return malformed(results, r.problem());
        }
        int suite = r.u16();
        int compression = r.u8();
        if (suite < 0 || compression < 0) {
            return malformed(results, "truncated at the cipher suite");
        }
        Found found = new Found(version);
        if (r.remaining() > 0) {
            String problem = extensions(r, found);
            if (problem != null) {
                return malformed(results, problem);
            }
        }
        return results.serverHello(version, sessionId, suite, found.selected, found.alpn, retry, consumed);
    }

    /** Mutable results of one parse. */
    private static final class Found {
        int selected;
        String alpn = "";
        boolean sawVersion;
        boolean sawAlpn;

        Found(int legacyVersion) {
            this.selected = legacyVersion;
        }
    }

    /** Reads the extensions block, which must fill the rest of the hello exactly; a problem or null. */
    private static String extensions(HelloReader r, Found found) {
        int total = r.u16();
        if (total < 0 || total != r.remaining()) {
            return "extensions length " + total + " does not match the " + r.remaining() + " bytes left";
        }
        while (r.remaining() > 0) {
            int type = r.u16();
            int length = r.u16();
            HelloReader data = length < 0 ? null : r.slice(length);
            if (type < 0 || data == null) {
                return "extension 0x" + ClientHelloParser.hex4(Math.max(type, 0)) + ": length " + length
                        + " runs past the extensions";
            }
            if (type == ClientHelloParser.SUPPORTED_VERSIONS) {
                if (found.sawVersion || length != 2) {
                    return found.sawVersion ? "supported_versions appears twice"
                            : "supported_versions length " + length + " (expected: 2)";
                }
                found.sawVersion = true;
                found.selected = data.u16();
            } else if (type == ClientHelloParser.ALPN) {
                if (found.sawAlpn) {
                    return "application_layer_protocol_negotiation appears twice";
                }
                found.sawAlpn = true;
                int list = data.u16();
                int n = data.u8();
                int start = data.position();
                if (list != length - 2 || n < 1 || n != list - 1 || !data.skip(n)) {
                    return "ALPN of length " + length + " does not hold exactly one protocol";
                }
                found.alpn = new String(data.buffer(), start, n, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static <R> R malformed(HelloResults<R> results, String reason) {
        return results.malformed("ServerHello: " + reason);
    }
}
